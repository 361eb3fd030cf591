import { type PaymentRecord, paymentRecordSchema, RECORD_FIELD_LIST } from "../payments/payment-record.js";

// Central's payment_records rows, derived from the record's description (payments/record).

/** Columns of central's payment_records that come from the record, with their SQL types, then the content hash. */
export const RECORD_COLUMNS: readonly (readonly [name: string, type: string])[] = [
  ...RECORD_FIELD_LIST.flatMap(([, field]) =>
    field.central.columns.map((column) => [column.name, column.type] as const),
  ),
  ["content_hash", "text"],
];

export type RecordColumn = string;

/** A record flattened into central's columns, for json_to_recordset. */
export function toCentralRow(record: PaymentRecord, contentHash: string): Record<RecordColumn, unknown> {
  const row: Record<string, unknown> = {};
  for (const [name, field] of RECORD_FIELD_LIST) field.central.write(record[name], row);
  row.content_hash = contentHash;
  return row;
}

/** The SELECT list that fromCentralRow reads: dates as text, so no time zone can shift them. */
export const RECORD_SELECT = RECORD_COLUMNS.map(([name, type]) =>
  type === "date" ? `${name}::text AS ${name}` : name,
).join(", ");

/** A central row back as a record, validated: what central holds must still be a valid record. */
export function fromCentralRow(row: Record<string, unknown>): PaymentRecord {
  const record: Record<string, unknown> = {};
  for (const [name, field] of RECORD_FIELD_LIST) {
    const value = field.central.read(row);
    if (value !== undefined) record[name] = value;
  }
  return paymentRecordSchema.parse(record);
}
