import { z } from "zod";
import { MAX_REVISION, type RecordLimits } from "./bounds.js";
import {
  AS_DATE,
  AS_FLAG,
  AS_INSTANT,
  AS_INTEGER,
  AS_TEXT,
  checked,
  column,
  nullable,
  type RecordView,
} from "./field.js";
import { methodField } from "./method-field.js";
import { moneyColumns, moneyInCurrencyOf } from "./money-field.js";
import { freeText, text } from "./text.js";
import { idValue, instantValue, studioDateValue } from "./values.js";

export const RECORD_KINDS = ["payment", "refund"] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

/**
 * scheduled: a future payment, not collected yet (no payment date) · pending: accepted, waiting
 * for the processor (offline card) · authorizing: the processor is being asked · completed ·
 * declined · voided.
 */
export const RECORD_STATUSES = [
  "scheduled",
  "pending",
  "authorizing",
  "completed",
  "declined",
  "voided",
] as const;
export type RecordStatus = (typeof RECORD_STATUSES)[number];

/** Text a person typed or a processor wrote, in one text column. */
const freeTextColumn = <const N extends string>(name: N, max: number) =>
  column(name, freeText(max), AS_TEXT, { freeText: true });

/** Part of a payment cannot be more than all of it. */
const atMostTheAmount = (value: { minor: number }, record: RecordView): string | null => {
  const amount = record.amount as { minor?: unknown } | null | undefined;
  return typeof amount?.minor === "number" && value.minor > amount.minor ? "at most the amount" : null;
};

/**
 * The payment record, field by field: each field's rule (a zod schema with every bound) and the
 * columns that keep it on the kiosk (SQLite) and at central (PostgreSQL). The record's schema and
 * type, the kiosk's rows, central's rows and the record on the wire are all derived from this
 * table, so a new field is one entry here plus a migration on each side. The order is the kiosk
 * table's column order (its rows are hashed in it) and the record's key order on the wire. A new
 * field goes at the end and is `optional`: absent is NULL, so rows, messages and content hashes
 * from before it stay as they were, and only code that has a value for it needs to set it.
 *
 * Money bounds come from `limits`: the kiosk's configured maximum, central's, or the ceiling.
 */
export function describeRecord(limits: RecordLimits) {
  const max = limits.maxAmountMinor;
  const amountCurrency = { field: "amount", currencyColumn: "currency" } as const;
  return {
    id: column("id", idValue, AS_TEXT),
    /** Starts at 1; every change (authorized, voided, collected) is a new revision, synced again. */
    revision: column("revision", z.number().int().min(1).max(MAX_REVISION), AS_INTEGER),
    kind: column("kind", z.enum(RECORD_KINDS), AS_TEXT),
    invoiceId: column("invoice_id", idValue, AS_TEXT),
    invoiceNumber: column("invoice_number", text(32), AS_TEXT),
    clientId: column("client_id", idValue, AS_TEXT),
    sessionId: nullable(column("session_id", idValue, AS_TEXT)),
    /** Refunds: the payment being refunded (required for card refunds, which go back to that card). */
    refundOf: nullable(column("refund_of", idValue, AS_TEXT)),
    /** A payment's or refund's amount, a future payment's too: at least one minor unit. */
    amount: moneyColumns("amount_minor", "currency", { min: 1, max }),
    /** The part of a payment above the invoice's balance, kept as the client's credit. */
    overpayment: nullable(
      checked(moneyInCurrencyOf("overpayment_minor", amountCurrency, { min: 0, max }), atMostTheAmount),
    ),
    /** The studio's date of the payment; null while a future payment is not collected. */
    paymentDate: nullable(column("payment_date", studioDateValue, AS_DATE)),
    refundable: column("refundable", z.boolean(), AS_FLAG),
    refundableUntil: nullable(column("refundable_until", studioDateValue, AS_DATE)),
    futurePayment: column("future_payment", z.boolean(), AS_FLAG),
    dueDate: nullable(column("due_date", studioDateValue, AS_DATE)),
    methodId: column("method_id", text(32), AS_TEXT),
    methodName: freeTextColumn("method_name", 40),
    method: methodField(limits, { type: "method_type", kioskJson: "method_json", centralJson: "method" }),
    status: column("status", z.enum(RECORD_STATUSES), AS_TEXT),
    /** Why a processor declined, in its coded form; null otherwise. */
    declineCode: nullable(freeTextColumn("decline_code", 64)),
    staffId: nullable(column("staff_id", text(32), AS_TEXT)),
    deviceId: column("device_id", text(64), AS_TEXT),
    shiftId: nullable(column("shift_id", idValue, AS_TEXT)),
    note: nullable(freeTextColumn("note", 500)),
    createdAt: column("created_at", instantValue, AS_INSTANT),
    updatedAt: column("updated_at", instantValue, AS_INSTANT),
    voidedAt: nullable(column("voided_at", instantValue, AS_INSTANT)),
    voidedBy: nullable(column("voided_by", text(32), AS_TEXT)),
  };
}

export type RecordFields = ReturnType<typeof describeRecord>;
export type FieldName = keyof RecordFields;
