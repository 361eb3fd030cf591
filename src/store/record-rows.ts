import type { z } from "zod";
import { sha256 } from "../core/hash.js";
import {
  LINE_FIELDS,
  type PaymentRecord,
  paymentRecordSchema,
  RECORD_FIELD_LIST,
  RECORD_FIELDS,
  type RecordLine,
} from "../payments/payment-record.js";
import type { AnyField, Field, SqliteValue } from "../payments/record/field.js";
import type { FieldName, RecordFields } from "../payments/record/record-fields.js";

// The kiosk's payment_records rows, derived from the record's description (payments/record).

type KioskShare<F> = F extends Field<z.ZodType, infer K, infer _Central> ? K : never;
type Intersection<U> = (U extends unknown ? (share: U) => void : never) extends (share: infer I) => void
  ? I
  : never;

/** A payment_records row, column for column. */
export type RecordRow = { [C in keyof Shares]: Shares[C] };
type Shares = Intersection<{ [N in FieldName]: KioskShare<RecordFields[N]> }[FieldName]>;
export type RecordColumn = keyof RecordRow & string;

/** The columns in table order: a row's content, hashed the same way when written and checked. */
export const RECORD_COLUMNS: readonly RecordColumn[] = RECORD_FIELD_LIST.flatMap(([, field]) =>
  field.kiosk.columns.map((column) => column.name as RecordColumn),
);

export function toRow(record: PaymentRecord): RecordRow {
  const row = {} as RecordRow;
  for (const [name, field] of RECORD_FIELD_LIST) field.kiosk.write(record[name], row);
  return row;
}

function readFields<R>(
  fields: readonly (readonly [FieldName, AnyField])[],
  row: Readonly<Record<string, unknown>>,
): R {
  const record: Record<string, unknown> = {};
  for (const [name, field] of fields) {
    const value = field.kiosk.read(row);
    // A field added later is absent, not undefined, where it was never set.
    if (value !== undefined) record[name] = value;
  }
  return record as R;
}

/**
 * Reads a row back as a record. Rows were validated when written (RecordStore checks every record
 * against the schema), so the hot path trusts them; `db check` uses `parseRow`, which does not.
 */
export function fromRow(row: RecordRow): PaymentRecord {
  return readFields<PaymentRecord>(RECORD_FIELD_LIST, row);
}

const LINE_FIELD_LIST = LINE_FIELDS.map((name) => [name, RECORD_FIELDS[name] as AnyField] as const);

/** The columns a RecordLine is read from: the balance rules' share of a row, and no more. */
export const LINE_COLUMNS: readonly RecordColumn[] = [
  ...new Set(LINE_FIELD_LIST.flatMap(([, field]) => field.kiosk.reads as RecordColumn[])),
];

export type LineRow = Partial<RecordRow>;

export function lineFromRow(row: Readonly<Record<string, unknown>>): RecordLine {
  return readFields<RecordLine>(LINE_FIELD_LIST, row);
}

/** Reads a row back and validates it: for checks, where a row that no longer fits must be reported. */
export function parseRow(row: RecordRow): PaymentRecord {
  return paymentRecordSchema.parse(fromRow(row));
}

/**
 * Columns every row's hash lists, null or not: the first release's. A column added later is listed
 * only up to the last one that is not null, so a row written before it keeps the hash its audit
 * entry carries, while setting the new column on that row changes the hash.
 */
const FIRST_RELEASE_COLUMNS = 30;

/** The hash of a row's values in table order (see FIRST_RELEASE_COLUMNS). */
export function hashRowValues(values: readonly SqliteValue[]): string {
  let end = values.length;
  while (end > FIRST_RELEASE_COLUMNS && values[end - 1] === null) end -= 1;
  return sha256(JSON.stringify(values.slice(0, end)));
}

/** The hash of a stored row's content that its audit entry carries, so `db check` finds an edited record. */
export function rowHash(row: RecordRow): string {
  // A row from before a column was added (a fixture, an old backup) lacks it: the same as null.
  return hashRowValues(RECORD_COLUMNS.map((column) => row[column] ?? null));
}
