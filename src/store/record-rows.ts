import { type PaymentRecord, paymentRecordSchema } from "../payments/payment-record.js";

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

/** Reads a row back, validating it: a row that no longer fits the schema is reported, not trusted. */
export function fromRow(row: RecordRow): PaymentRecord {
  return paymentRecordSchema.parse({
    id: row.id,
    revision: row.revision,
    kind: row.kind,
    invoiceId: row.invoice_id,
    invoiceNumber: row.invoice_number,
    clientId: row.client_id,
    sessionId: row.session_id,
    refundOf: row.refund_of,
    amount: { minor: row.amount_minor, currency: row.currency },
    overpayment:
      row.overpayment_minor === null ? null : { minor: row.overpayment_minor, currency: row.currency },
    paymentDate: row.payment_date,
    refundable: row.refundable === 1,
    refundableUntil: row.refundable_until,
    futurePayment: row.future_payment === 1,
    dueDate: row.due_date,
    methodId: row.method_id,
    methodName: row.method_name,
    method: JSON.parse(row.method_json),
    status: row.status,
    declineCode: row.decline_code,
    staffId: row.staff_id,
    deviceId: row.device_id,
    shiftId: row.shift_id,
    note: row.note,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    voidedAt: row.voided_at,
    voidedBy: row.voided_by,
  });
}
