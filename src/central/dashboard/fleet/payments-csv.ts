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
}

type Cell = string | number | boolean | null;

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote, or line break. Text that came
 * from people (notes, names, numbers typed at a kiosk) and would start with = + - @ or a tab is
 * prefixed with ' so a spreadsheet shows it rather than running it as a formula.
 */
export function csvCell(value: Cell, options: { fromPeople?: boolean } = {}): string {
  if (value === null) return "";
  let text = String(value);
  if (options.fromPeople && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
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
const COLUMNS: readonly (readonly [string, (row: PaymentRow) => Cell, boolean?])[] = [
  ["record_id", (row) => row.id],
  ["revision", (row) => row.revision],
  ["kind", (row) => row.kind],
  ["status", (row) => row.status],
  ["kiosk", (row) => row.device_id],
  ["payment_date", (row) => row.payment_date],
  ["amount", (row) => decimalAmount(row.amount_minor, row.currency)],
  ["currency", (row) => row.currency],
  ["amount_minor", (row) => row.amount_minor],
  ["invoice_number", (row) => row.invoice_number, true],
  ["invoice_id", (row) => row.invoice_id, true],
  ["client_id", (row) => row.client_id, true],
  ["method_type", (row) => row.method_type],
  ["method_name", (row) => row.method_name, true],
  ["card_type", (row) => methodText(row, "cardType"), true],
  ["entry_mode", (row) => methodText(row, "entryMode")],
  ["masked_pan", (row) => methodText(row, "maskedPan")],
  ["authorization_code", (row) => methodText(row, "authorizationCode"), true],
  ["check_number", (row) => methodText(row, "checkNumber"), true],
  ["amount_tendered", (row) => methodMoney(row, "amountTendered")],
  ["change_due", (row) => methodMoney(row, "changeDue")],
  ["future_payment", (row) => row.future_payment],
  ["due_date", (row) => row.due_date],
  ["refund_of", (row) => row.refund_of],
  ["staff_id", (row) => row.staff_id, true],
  ["created_at", (row) => row.created_at],
  ["voided_at", (row) => row.voided_at],
  ["note", (row) => row.note, true],
];

export const CSV_HEADER = `${COLUMNS.map(([name]) => name).join(",")}\r\n`;

export function csvLine(row: PaymentRow): string {
  return `${COLUMNS.map(([, value, fromPeople]) => csvCell(value(row), { fromPeople: fromPeople === true })).join(",")}\r\n`;
}
