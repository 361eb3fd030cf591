import type { DayLine, DayReport } from "./day-report.js";
import { decimalAmount } from "./money-text.js";
import { csvCell, UTF8_BOM } from "./payments-csv.js";

/** The day's CSV columns: the page's cells, money as exact decimals and as stored minor units. */
export const DAY_COLUMNS = [
  "section",
  "kiosk",
  "method",
  "records",
  "amount",
  "currency",
  "amount_minor",
  "time",
  "staff",
  "detail",
] as const;

const cells = (line: DayLine): (string | number | null)[] => [
  line.section,
  line.kiosk,
  line.method,
  line.records,
  line.amountMinor === null ? null : decimalAmount(line.amountMinor, line.currency),
  line.currency,
  line.amountMinor,
  line.time,
  line.staff,
  line.detail,
];

/**
 * A studio's day as CSV: a UTF-8 byte-order mark (accented names open intact in a spreadsheet),
 * CRLF lines, and every cell a spreadsheet could run as a formula escaped (csvCell).
 */
export function dayCsv(report: DayReport): string {
  const lines = report.lines.map((line) => cells(line).map(csvCell).join(","));
  return `${UTF8_BOM}${DAY_COLUMNS.join(",")}\r\n${lines.map((line) => `${line}\r\n`).join("")}`;
}
