import type {
  MethodDetails,
  PaymentRecord,
  RecordKind,
  RecordLine,
  RecordStatus,
} from "../payments/payment-record.js";
import { paymentRecordSchema } from "../payments/payment-record.js";
import { sha256 } from "./hash.js";

/** A payment_records row, column for column. */
export interface RecordRow {
  id: string;
  revision: number;
  kind: string;
  invoice_id: string;
  invoice_number: string;
  client_id: string;
  session_id: string | null;
  refund_of: string | null;
  amount_minor: number;
  currency: string;
  overpayment_minor: number | null;
  payment_date: string | null;
  refundable: number;
  refundable_until: string | null;
  future_payment: number;
  due_date: string | null;
  method_id: string;
  method_name: string;
  method_type: string;
  method_json: string;
  status: string;
  decline_code: string | null;
  staff_id: string | null;
  device_id: string;
  shift_id: string | null;
  note: string | null;
  created_at: string;
  updated_at: string;
  voided_at: string | null;
  voided_by: string | null;
}

export function toRow(record: PaymentRecord): RecordRow {
  return {
    id: record.id,
    revision: record.revision,
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
    refundable: record.refundable ? 1 : 0,
    refundable_until: record.refundableUntil,
    future_payment: record.futurePayment ? 1 : 0,
    due_date: record.dueDate,
    method_id: record.methodId,
    method_name: record.methodName,
    method_type: record.method.type,
    method_json: JSON.stringify(record.method),
    status: record.status,
    decline_code: record.declineCode,
    staff_id: record.staffId,
    device_id: record.deviceId,
    shift_id: record.shiftId,
    note: record.note,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
    voided_at: record.voidedAt,
    voided_by: record.voidedBy,
  };
}

/**
 * Reads a row back as a record. Rows were validated when written (RecordStore checks every record
 * against the schema), so the hot path trusts them; `db check` uses `parseRow`, which does not.
 */
export function fromRow(row: RecordRow): PaymentRecord {
  const money = (minor: number) => ({ minor, currency: row.currency });
  return {
    id: row.id,
    revision: row.revision,
    kind: row.kind as RecordKind,
    invoiceId: row.invoice_id,
    invoiceNumber: row.invoice_number,
    clientId: row.client_id,
    sessionId: row.session_id,
    refundOf: row.refund_of,
    amount: money(row.amount_minor),
    overpayment:
      row.overpayment_minor === null ? null : { minor: row.overpayment_minor, currency: row.currency },
    paymentDate: row.payment_date,
    refundable: row.refundable === 1,
    refundableUntil: row.refundable_until,
    futurePayment: row.future_payment === 1,
    dueDate: row.due_date,
    methodId: row.method_id,
    methodName: row.method_name,
    method: JSON.parse(row.method_json) as MethodDetails,
    status: row.status as RecordStatus,
    declineCode: row.decline_code,
    staffId: row.staff_id,
    deviceId: row.device_id,
    shiftId: row.shift_id,
    note: row.note,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    voidedAt: row.voided_at,
    voidedBy: row.voided_by,
  };
}

/** The columns a RecordLine is read from: the balance rules' share of a row, and no more. */
export const LINE_COLUMNS = [
  "id",
  "kind",
  "status",
  "amount_minor",
  "currency",
  "overpayment_minor",
  "refund_of",
  "method_json",
] as const satisfies readonly (keyof RecordRow)[];

export type LineRow = Pick<RecordRow, (typeof LINE_COLUMNS)[number]>;

export function lineFromRow(row: LineRow): RecordLine {
  return {
    id: row.id,
    kind: row.kind as RecordKind,
    status: row.status as RecordStatus,
    amount: { minor: row.amount_minor, currency: row.currency },
    overpayment:
      row.overpayment_minor === null ? null : { minor: row.overpayment_minor, currency: row.currency },
    refundOf: row.refund_of,
    method: JSON.parse(row.method_json) as MethodDetails,
  };
}

/** Reads a row back and validates it: for checks, where a row that no longer fits must be reported. */
export function parseRow(row: RecordRow): PaymentRecord {
  return paymentRecordSchema.parse(fromRow(row));
}

/** The columns in table order: a row's content, for hashing it the same way when written and checked. */
export const RECORD_COLUMNS = [
  "id",
  "revision",
  "kind",
  "invoice_id",
  "invoice_number",
  "client_id",
  "session_id",
  "refund_of",
  "amount_minor",
  "currency",
  "overpayment_minor",
  "payment_date",
  "refundable",
  "refundable_until",
  "future_payment",
  "due_date",
  "method_id",
  "method_name",
  "method_type",
  "method_json",
  "status",
  "decline_code",
  "staff_id",
  "device_id",
  "shift_id",
  "note",
  "created_at",
  "updated_at",
  "voided_at",
  "voided_by",
] as const satisfies readonly (keyof RecordRow)[];

/** The hash of a stored row's content that its audit entry carries, so `db check` finds an edited record. */
export function rowHash(row: RecordRow): string {
  return sha256(JSON.stringify(RECORD_COLUMNS.map((column) => row[column])));
}
