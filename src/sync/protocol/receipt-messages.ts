import { z } from "zod";
import { isEmailAddress, MAX_EMAIL_LENGTH } from "../../core/email-address.js";
import { receiptDocumentSchema } from "../../payments/receipt/receipt-document.js";
import { messageIdSchema } from "./messages.js";

/**
 * kiosk → central: email this receipt (composed on the kiosk, in the screen's language) to this
 * address. Central checks both again, and answers with `receiptEmailResult` under the same id.
 */
export const receiptEmailSchema = z.strictObject({
  requestId: messageIdSchema,
  to: z.string().max(MAX_EMAIL_LENGTH).refine(isEmailAddress, "an email address"),
  receipt: receiptDocumentSchema,
});

/** central → kiosk: handed to the SMTP server (sent), or not, with a code and why. */
export const receiptEmailResultSchema = z.discriminatedUnion("outcome", [
  z.strictObject({ requestId: messageIdSchema, outcome: z.literal("sent") }),
  z.strictObject({
    requestId: messageIdSchema,
    outcome: z.literal("refused"),
    code: z.string().min(1).max(64),
    message: z.string().max(300),
  }),
]);

export type ReceiptEmailMessage = z.infer<typeof receiptEmailSchema>;
export type ReceiptEmailResultMessage = z.infer<typeof receiptEmailResultSchema>;
