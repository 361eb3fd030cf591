import { z } from "zod";
import { isMaskedPan, type MaskedPan } from "./card/masked-pan.js";
import { CARD_ENTRY_MODES } from "./payment-method.js";
import { isStudioDate } from "./studio-date.js";

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

const minor = z.number().int().refine(Number.isSafeInteger, "a whole number of minor units");
export const moneySchema = z.strictObject({ minor, currency: z.string().regex(/^[A-Z]{3}$/) });

const studioDate = z.string().refine(isStudioDate, "a date written YYYY-MM-DD");
const instant = z.iso.datetime({ offset: true });
const id = z.string().min(1).max(64);

/** Accepts text that is a masked card number, typed as MaskedPan; anything else (a full number) fails. */
export const maskedPanSchema = z
  .string()
  .refine(isMaskedPan, "a masked card number (first 6, '*', last 4)")
  .transform((value) => value as MaskedPan);

/** The fields each kind of payment method adds (Spectra's method-specific fields). */
export const methodDetailsSchema = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("cash"),
    /** What the client handed over; for a cash refund, null. */
    amountTendered: moneySchema.nullable(),
    changeDue: moneySchema.nullable(),
  }),
  z.strictObject({ type: z.literal("check"), checkNumber: z.string().regex(/^\d{1,15}$/) }),
  z.strictObject({
    type: z.literal("card"),
    /** From the method's prefix table (e.g. "Visa"), or chosen by staff. */
    cardType: z.string().max(40).nullable(),
    entryMode: z.enum(CARD_ENTRY_MODES),
    authorizationCode: z
      .string()
      .regex(/^[A-Za-z0-9]{1,12}$/)
      .nullable(),
    /** The processor's token for the card (for refunds and saved cards); never the number. */
    processorToken: z.string().max(128).nullable(),
    /** The processor's id of this charge or refund. */
    processorReference: z.string().max(128).nullable(),
    maskedPan: maskedPanSchema.nullable(),
    brand: z.string().max(40).nullable(),
  }),
  z.strictObject({ type: z.literal("gift"), reference: z.string().max(64).nullable() }),
  z.strictObject({ type: z.literal("other"), reference: z.string().max(64).nullable() }),
]);

export type MethodDetails = z.infer<typeof methodDetailsSchema>;
export type CardDetails = Extract<MethodDetails, { type: "card" }>;

/** A payment or refund against a Spectra invoice, as stored on the kiosk and delivered to central. */
export const paymentRecordSchema = z.strictObject({
  id,
  /** Starts at 1; every change (authorized, voided, collected) is a new revision, synced again. */
  revision: z.number().int().min(1),
  kind: z.enum(RECORD_KINDS),
  invoiceId: id,
  invoiceNumber: z.string().max(32),
  clientId: id,
  sessionId: id.nullable(),
  /** Refunds: the payment being refunded (required for card refunds, which go back to that card). */
  refundOf: id.nullable(),
  amount: moneySchema,
  /** The part of a payment above the invoice's balance, kept as the client's credit. */
  overpayment: moneySchema.nullable(),
  /** The studio's date of the payment; null while a future payment is not collected. */
  paymentDate: studioDate.nullable(),
  refundable: z.boolean(),
  refundableUntil: studioDate.nullable(),
  futurePayment: z.boolean(),
  dueDate: studioDate.nullable(),
  methodId: z.string().max(32),
  methodName: z.string().max(40),
  method: methodDetailsSchema,
  status: z.enum(RECORD_STATUSES),
  /** Why a processor declined, in its coded form; null otherwise. */
  declineCode: z.string().max(64).nullable(),
  staffId: z.string().max(32).nullable(),
  deviceId: z.string().max(64),
  shiftId: id.nullable(),
  note: z.string().max(500).nullable(),
  createdAt: instant,
  updatedAt: instant,
  voidedAt: instant.nullable(),
  voidedBy: z.string().max(32).nullable(),
});

export type PaymentRecord = z.infer<typeof paymentRecordSchema>;

/**
 * What the balance, refund and void rules read of an invoice's other records. The store loads only
 * these fields while it checks a new record, inside the write transaction.
 */
export type RecordLine = Pick<
  PaymentRecord,
  "id" | "kind" | "status" | "amount" | "overpayment" | "refundOf" | "method"
>;

/** Records that count as money received or returned. */
export function isSettled(record: PaymentRecord): boolean {
  return record.status === "completed";
}
