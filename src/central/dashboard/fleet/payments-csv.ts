import { decimalAmount } from "./money-text.js";

/** A payment_records row as the payments queries select it (amounts and dates as text). */
export interface PaymentRow {
  readonly id: string;
  readonly revision: number;
  readonly kind: string;
  readonly status: string;
  readonly device_id: string;
  readonly invoice_id: string;
  readonly invoice_number: string;
  readonly client_id: string;
  readonly payment_date: string | null;
  readonly amount_minor: string;
  readonly currency: string;
  readonly method_id: string;
  readonly method_name: string;
  readonly method_type: string;
  readonly method: Readonly<Record<string, unknown>>;
  readonly future_payment: boolean;
  readonly due_date: string | null;
  readonly refund_of: string | null;
  readonly staff_id: string | null;
  readonly note: string | null;
  readonly created_at: string;
  readonly voided_at: string | null;
  /** The client's name from central's catalog, when central has the client. */
  readonly client_name?: string | null;
  /** The time zone of the kiosk's studio, when the kiosk reported one. */
  readonly time_zone?: string | null;
}

type Cell = string | number | boolean | null;

/**
 * What a spreadsheet may take for a formula (OWASP, CSV injection): a cell starting with = + - @,
 * a tab, a carriage return or a line feed, also after leading spaces, and the full-width forms of
 * the four that some spreadsheets read as formulas too.
 */
const FORMULA_START = /^[\s\u00a0\u3000]*[=+\-@\uff1d\uff0b\uff0d\uff20]|^[\t\r\n]/;
/** A plain decimal (a refund's amount) stays a number: it cannot be a formula. */
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote, or line break. Every column is
 * treated as hostile — ids and codes come from kiosks, and a kiosk account can send anything a
 * schema lets through — so any cell a spreadsheet could run is prefixed with ' and shown as text.
 */
export function csvCell(value: Cell): string {
  if (value === null) return "";
  let text = String(value);
  if (FORMULA_START.test(text) && !PLAIN_NUMBER.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replaceAll('"', '""')}"` : text;
}

const methodText = (row: PaymentRow, key: string): string | null => {
  const value = row.method[key];
  return typeof value === "string" ? value : null;
};

const methodMoney = (row: PaymentRow, key: string): string | null => {
  const value = row.method[key] as { minor?: unknown; currency?: unknown } | null | undefined;
  return value && typeof value.minor === "number" && typeof value.currency === "string"
    ? decimalAmount(value.minor, value.currency)
    : null;
};

/** The export's columns: money as exact decimal strings, and the minor units as they are stored. */
const COLUMNS: readonly (readonly [string, (row: PaymentRow) => Cell])[] = [
  ["record_id", (row) => row.id],
  ["revision", (row) => row.revision],
  ["kind", (row) => row.kind],
  ["status", (row) => row.status],
  ["kiosk", (row) => row.device_id],
  ["payment_date", (row) => row.payment_date],
  ["amount", (row) => decimalAmount(row.amount_minor, row.currency)],
  ["currency", (row) => row.currency],
  ["amount_minor", (row) => row.amount_minor],
  ["invoice_number", (row) => row.invoice_number],
  ["invoice_id", (row) => row.invoice_id],
  ["client_id", (row) => row.client_id],
  ["method_type", (row) => row.method_type],
  ["method_name", (row) => row.method_name],
  ["card_type", (row) => methodText(row, "cardType")],
  ["entry_mode", (row) => methodText(row, "entryMode")],
  ["masked_pan", (row) => methodText(row, "maskedPan")],
  ["authorization_code", (row) => methodText(row, "authorizationCode")],
  ["check_number", (row) => methodText(row, "checkNumber")],
  ["amount_tendered", (row) => methodMoney(row, "amountTendered")],
  ["change_due", (row) => methodMoney(row, "changeDue")],
  ["future_payment", (row) => row.future_payment],
  ["due_date", (row) => row.due_date],
  ["refund_of", (row) => row.refund_of],
  ["staff_id", (row) => row.staff_id],
  ["created_at", (row) => row.created_at],
  ["voided_at", (row) => row.voided_at],
  ["note", (row) => row.note],
];

/**
 * The UTF-8 byte-order mark: without it a spreadsheet opening the file guesses a legacy code page and
 * "Müller" becomes "MÃ¼ller". Every CSV the dashboard exports starts with it.
 */
export const UTF8_BOM = "\uFEFF";

export const CSV_HEADER = `${UTF8_BOM}${COLUMNS.map(([name]) => name).join(",")}\r\n`;

export function csvLine(row: PaymentRow): string {
  return `${COLUMNS.map(([, value]) => csvCell(value(row))).join(",")}\r\n`;
}
