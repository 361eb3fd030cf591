import { formatTime } from "../view/format.js";
import type { StudioDayData } from "./day-queries.js";
import { decimalAmount } from "./money-text.js";

export const DAY_SECTIONS = [
  "by method",
  "by kiosk",
  "drawer count",
  "over/short",
  "day closed",
  "payment",
] as const;
export type DaySection = (typeof DAY_SECTIONS)[number];

/**
 * One line of a studio's day, as the page shows it and the CSV exports it: the same cells in both,
 * so what an accountant opens is what the page said. Amounts in minor units (exact, as text).
 */
export interface DayLine {
  readonly section: DaySection;
  readonly kiosk: string;
  readonly method: string;
  readonly records: number | null;
  readonly amountMinor: string | null;
  readonly currency: string;
  /** A time in the studio's zone, labelled with it. */
  readonly time: string;
  readonly staff: string;
  readonly detail: string;
  /** Where the page links this line to (the payments behind it). */
  readonly link: string | null;
}

export interface DayReport {
  readonly studio: string;
  readonly date: string;
  readonly timeZone: string;
  readonly lines: readonly DayLine[];
  /** Kiosks of the studio that took no Z report that day. */
  readonly notClosed: readonly string[];
}

interface Sum {
  records: number;
  minor: bigint;
}

const add = (sums: Map<string, Sum>, key: string, minor: bigint): void => {
  const sum = sums.get(key) ?? { records: 0, minor: 0n };
  sum.records += 1;
  sum.minor += minor;
  sums.set(key, sum);
};

const paymentsLink = (params: Record<string, string>): string => `/payments?${new URLSearchParams(params)}`;

/**
 * The day in lines: completed payments less completed refunds per method and per kiosk, each drawer
 * count with its over/short and the day's over/short (the last count of each shift), which kiosks
 * closed their day with a Z report and which did not, and every record of the day.
 */
export function dayReport(data: StudioDayData): DayReport {
  const { studio, date } = data;
  const zone = studio.timeZone;
  const day = { from: date, to: date };
  const byMethod = new Map<string, Sum>();
  const byKiosk = new Map<string, Sum>();
  const payments: DayLine[] = [];
  for (const row of data.payments) {
    const signed = row.kind === "refund" ? -BigInt(row.amount_minor) : BigInt(row.amount_minor);
    if (row.status === "completed") {
      add(byMethod, JSON.stringify([row.method_name, row.method_type, row.currency]), signed);
      add(byKiosk, JSON.stringify([row.device_id, row.currency]), signed);
    }
    payments.push({
      section: "payment",
      kiosk: row.device_id,
      method: row.method_name,
      records: 1,
      amountMinor: signed.toString(),
      currency: row.currency,
      time: formatTime(row.created_at, zone),
      staff: row.staff_id ?? "",
      detail: `${row.kind} ${row.status} · invoice ${row.invoice_number} · ${row.client_name ?? row.client_id}`,
      link: paymentsLink({ q: row.invoice_number, ...day }),
    });
  }
  const methodLines = [...byMethod].map(([key, sum]): DayLine => {
    const [name, type, currency] = JSON.parse(key) as [string, string, string];
    return {
      section: "by method",
      kiosk: "",
      method: name,
      records: sum.records,
      amountMinor: sum.minor.toString(),
      currency,
      time: "",
      staff: "",
      detail: type,
      link: paymentsLink({ studio: studio.name, method: type, ...day }),
    };
  });
  const kioskLines = [...byKiosk].map(([key, sum]): DayLine => {
    const [kiosk, currency] = JSON.parse(key) as [string, string];
    return {
      section: "by kiosk",
      kiosk,
      method: "",
      records: sum.records,
      amountMinor: sum.minor.toString(),
      currency,
      time: "",
      staff: "",
      detail: "",
      link: paymentsLink({ kiosk, ...day }),
    };
  });
  const lastCountOfShift = new Map<string, (typeof data.drawerCounts)[number]>();
  for (const count of data.drawerCounts) lastCountOfShift.set(count.shift_id, count);
  const drawerLines = data.drawerCounts.map(
    (count): DayLine => ({
      section: "drawer count",
      kiosk: count.device_id,
      method: "cash",
      records: null,
      amountMinor: count.difference_minor,
      currency: count.currency,
      time: formatTime(count.counted_at, zone),
      staff: count.counted_by,
      detail: `counted ${decimalAmount(count.counted_minor, count.currency)}, expected ${decimalAmount(count.expected_minor, count.currency)}`,
      link: paymentsLink({ kiosk: count.device_id, method: "cash", ...day }),
    }),
  );
  const overShort = new Map<string, bigint>();
  for (const count of lastCountOfShift.values())
    overShort.set(count.currency, (overShort.get(count.currency) ?? 0n) + BigInt(count.difference_minor));
  const overShortLines = [...overShort].map(
    ([currency, minor]): DayLine => ({
      section: "over/short",
      kiosk: "",
      method: "cash",
      records: lastCountOfShift.size,
      amountMinor: minor.toString(),
      currency,
      time: "",
      staff: "",
      detail: minor > 0n ? "over" : minor < 0n ? "short" : "even",
      link: null,
    }),
  );
  const closed = new Map(data.zReports.map((report) => [report.device_id, report]));
  const notClosed = studio.kiosks.filter((kiosk) => !closed.has(kiosk));
  const closureLines = studio.kiosks.map((kiosk): DayLine => {
    const report = closed.get(kiosk);
    return report
      ? {
          section: "day closed",
          kiosk,
          method: "",
          records: null,
          amountMinor: report.net_minor,
          currency: report.currency,
          time: formatTime(report.taken_at, zone),
          staff: report.taken_by,
          detail: "Z report",
          link: paymentsLink({ kiosk, ...day }),
        }
      : {
          section: "day closed",
          kiosk,
          method: "",
          records: null,
          amountMinor: null,
          currency: "",
          time: "",
          staff: "",
          detail: "not closed",
          link: paymentsLink({ kiosk, ...day }),
        };
  });
  const sortBy = (key: (line: DayLine) => string) => (a: DayLine, b: DayLine) => key(a).localeCompare(key(b));
  return {
    studio: studio.name,
    date,
    timeZone: zone,
    notClosed,
    lines: [
      ...methodLines.sort(sortBy((line) => `${line.method}\u0000${line.currency}`)),
      ...kioskLines.sort(sortBy((line) => `${line.kiosk}\u0000${line.currency}`)),
      ...drawerLines,
      ...overShortLines,
      ...closureLines,
      ...payments,
    ],
  };
}
