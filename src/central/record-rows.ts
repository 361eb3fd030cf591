import { type PaymentRecord, paymentRecordSchema } from "../payments/payment-record.js";

/** Columns of central's payment_records that come from the record, with their SQL types. */
export const RECORD_COLUMNS = [
  ["id", "text"],
  ["revision", "integer"],
  ["device_id", "text"],
  ["kind", "text"],
  ["invoice_id", "text"],
  ["invoice_number", "text"],
  ["client_id", "text"],
  ["session_id", "text"],
  ["refund_of", "text"],
  ["amount_minor", "bigint"],
  ["currency", "text"],
  ["overpayment_minor", "bigint"],
  ["payment_date", "date"],
  ["refundable", "boolean"],
  ["refundable_until", "date"],
  ["future_payment", "boolean"],
  ["due_date", "date"],
  ["method_id", "text"],
  ["method_name", "text"],
  ["method_type", "text"],
  ["method", "jsonb"],
  ["status", "text"],
  ["decline_code", "text"],
  ["staff_id", "text"],
  ["shift_id", "text"],
  ["note", "text"],
  ["created_at", "timestamptz"],
  ["updated_at", "timestamptz"],
  ["voided_at", "timestamptz"],
  ["voided_by", "text"],
  ["content_hash", "text"],
] as const;

export type RecordColumn = (typeof RECORD_COLUMNS)[number][0];

/** A record flattened into central's columns, for jsonb_to_recordset. */
export function toCentralRow(record: PaymentRecord, contentHash: string): Record<RecordColumn, unknown> {
  return {
    id: record.id,
    revision: record.revision,
    device_id: record.deviceId,
    kind: record.kind,
    invoice_id: record.invoiceId,
    invoice_number: record.invoiceNumber,
    client_id: record.clientId,
    session_id: record.sessionId,
    refund_of: record.refundOf,
    amount_minor: record.amount.minor,
    currency: record.amount.currency,
    overpayment_minor: record.overpayment?.minor ?? null,
    payment_date: record.paymentDate,
    refundable: record.refundable,
    refundable_until: record.refundableUntil,
    future_payment: record.futurePayment,
    due_date: record.dueDate,
    method_id: record.methodId,
    method_name: record.methodName,
    method_type: record.method.type,
    method: record.method,
    status: record.status,
    decline_code: record.declineCode,
    staff_id: record.staffId,
    shift_id: record.shiftId,
    note: record.note,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
    voided_at: record.voidedAt,
    voided_by: record.voidedBy,
    content_hash: contentHash,
  };
}

/** The SELECT list that fromCentralRow reads: dates as text, so no time zone can shift them. */
export const RECORD_SELECT = RECORD_COLUMNS.map(([name, type]) =>
  type === "date" ? `${name}::text AS ${name}` : name,
).join(", ");

const iso = (value: unknown): string | null =>
  value === null || value === undefined ? null : value instanceof Date ? value.toISOString() : String(value);

/** A central row back as a record, validated: what central holds must still be a valid record. */
export function fromCentralRow(row: Record<string, unknown>): PaymentRecord {
  const currency = row.currency;
  return paymentRecordSchema.parse({
    id: row.id,
    revision: row.revision,
    kind: row.kind,
    invoiceId: row.invoice_id,
    invoiceNumber: row.invoice_number,
    clientId: row.client_id,
    sessionId: row.session_id,
    refundOf: row.refund_of,
    amount: { minor: Number(row.amount_minor), currency },
    overpayment: row.overpayment_minor === null ? null : { minor: Number(row.overpayment_minor), currency },
    paymentDate: row.payment_date,
    refundable: row.refundable,
    refundableUntil: row.refundable_until,
    futurePayment: row.future_payment,
    dueDate: row.due_date,
    methodId: row.method_id,
    methodName: row.method_name,
    method: row.method,
    status: row.status,
    declineCode: row.decline_code,
    staffId: row.staff_id,
    deviceId: row.device_id,
    shiftId: row.shift_id,
    note: row.note,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    voidedAt: iso(row.voided_at),
    voidedBy: row.voided_by,
  });
}
