import { z } from "zod";
import { CEILING_LIMITS, type RecordLimits } from "./record/bounds.js";
import type { AnyField } from "./record/field.js";
import { describeRecord, type FieldName, type RecordFields } from "./record/record-fields.js";

export { maskedPanSchema } from "./record/method-field.js";
export {
  RECORD_KINDS,
  RECORD_STATUSES,
  type RecordKind,
  type RecordStatus,
} from "./record/record-fields.js";

/**
 * The record's description with money bounded by the ceiling: what the kiosk's store and the wire
 * check, and what the row mappings are derived from (their columns do not depend on the bounds).
 */
export const RECORD_FIELDS: RecordFields = describeRecord(CEILING_LIMITS);

/** The fields in table order, typed loosely for the code that walks them all. */
export const RECORD_FIELD_LIST = Object.entries(RECORD_FIELDS) as readonly (readonly [FieldName, AnyField])[];

type RecordShape = { [N in FieldName]: RecordFields[N]["schema"] };

function schemaOf(fields: RecordFields) {
  const list = Object.entries(fields) as [FieldName, AnyField][];
  const shape = Object.fromEntries(list.map(([name, field]) => [name, field.schema])) as RecordShape;
  // Cross-field checks run once every field is valid on its own.
  return z.strictObject(shape).superRefine((record, context) => {
    for (const [name, field] of list) {
      const problem = field.check?.(record[name], record);
      if (problem) context.addIssue({ code: "custom", path: [name], message: problem });
    }
  });
}

/** A payment or refund against a Spectra invoice, as stored on the kiosk and delivered to central. */
export const paymentRecordSchema = schemaOf(RECORD_FIELDS);

const withinLimits = new Map<number, typeof paymentRecordSchema>();

/** The record's schema with money bounded by a configured maximum instead of the ceiling. */
export function paymentRecordSchemaWithin(limits: RecordLimits): typeof paymentRecordSchema {
  let schema = withinLimits.get(limits.maxAmountMinor);
  if (!schema) {
    schema = schemaOf(describeRecord(limits));
    withinLimits.set(limits.maxAmountMinor, schema);
  }
  return schema;
}

export type PaymentRecord = z.infer<typeof paymentRecordSchema>;

/** The fields each kind of payment method adds (Spectra's method-specific fields). */
export const methodDetailsSchema = RECORD_FIELDS.method.schema;
export type MethodDetails = z.infer<typeof methodDetailsSchema>;
export type CardDetails = Extract<MethodDetails, { type: "card" }>;

/**
 * What the balance, refund and void rules read of an invoice's other records. The store loads only
 * these fields while it checks a new record, inside the write transaction.
 */
export const LINE_FIELDS = [
  "id",
  "kind",
  "status",
  "amount",
  "overpayment",
  "refundOf",
  "method",
] as const satisfies readonly FieldName[];
export type RecordLine = Pick<PaymentRecord, (typeof LINE_FIELDS)[number]>;

/** Records that count as money received or returned. */
export function isSettled(record: PaymentRecord): boolean {
  return record.status === "completed";
}
