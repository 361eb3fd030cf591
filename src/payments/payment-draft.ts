import { z } from "zod";
import { CARD_ENTRY_MODES } from "./payment-method.js";
import { maskedPanSchema } from "./payment-record.js";

const minor = z.number().int().refine(Number.isSafeInteger, "a whole number of minor units");

/** The method fields as entered on the screen; which ones apply depends on the method's type. */
export const draftMethodFieldsSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("cash"), amountTenderedMinor: minor.nullable().default(null) }),
  z.strictObject({ type: z.literal("check"), checkNumber: z.string().max(40).nullable().default(null) }),
  z.strictObject({
    type: z.literal("card"),
    entryMode: z.enum(CARD_ENTRY_MODES),
    cardType: z.string().max(40).nullable().default(null),
    authorizationCode: z.string().max(40).nullable().default(null),
    maskedPan: maskedPanSchema.nullable().default(null),
    brand: z.string().max(40).nullable().default(null),
    processorToken: z.string().max(128).nullable().default(null),
  }),
  z.strictObject({ type: z.literal("gift"), reference: z.string().max(64).nullable().default(null) }),
  z.strictObject({ type: z.literal("other"), reference: z.string().max(64).nullable().default(null) }),
]);

/**
 * A payment or refund as someone entered it, before the rules accept it. It arrives from the
 * screen, so it is validated like any outside input.
 */
export const paymentDraftSchema = z.strictObject({
  kind: z.enum(["payment", "refund"]),
  invoiceId: z.string().min(1).max(64),
  amountMinor: minor,
  currency: z.string().regex(/^[A-Z]{3}$/),
  /** Defaults to today in the studio's time zone. */
  paymentDate: z.string().max(10).nullable().default(null),
  refundable: z.boolean().default(false),
  refundableUntil: z.string().max(10).nullable().default(null),
  futurePayment: z.boolean().default(false),
  dueDate: z.string().max(10).nullable().default(null),
  methodId: z.string().min(1).max(32),
  methodFields: draftMethodFieldsSchema,
  refundOf: z.string().max(64).nullable().default(null),
  note: z.string().max(500).nullable().default(null),
});

export type PaymentDraft = z.infer<typeof paymentDraftSchema>;
export type PaymentDraftInput = z.input<typeof paymentDraftSchema>;
export type DraftMethodFields = PaymentDraft["methodFields"];
