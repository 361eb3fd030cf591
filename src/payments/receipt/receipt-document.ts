import { z } from "zod";

/** The languages a receipt is written in: the screen's languages. */
export const RECEIPT_LANGUAGES = ["en", "es"] as const;
export type ReceiptLanguage = (typeof RECEIPT_LANGUAGES)[number];

/** What kind of record a receipt is for, as the paper says it. */
export const RECEIPT_KINDS = ["payment", "refund", "void", "future-payment"] as const;
export type ReceiptKind = (typeof RECEIPT_KINDS)[number];

/** Printable text of one line: no control characters, bounded. */
const line = (max: number) =>
  z
    .string()
    .max(max)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: a receipt's text never carries control characters.
    .regex(/^[^\u0000-\u001f\u007f-\u009f]*$/, "printable text");

export const receiptRowSchema = z.strictObject({
  label: line(40),
  value: line(80),
  /** The amount line: printed bold, set apart in an email. */
  strong: z.boolean(),
});
export type ReceiptRow = z.infer<typeof receiptRowSchema>;

/**
 * A receipt, composed once and in one language, ready to be laid out: on paper by the printer
 * (drivers/printer), as plain text and HTML by central's mailer (central/mail). Every string is
 * final: nothing downstream formats money, dates or words. The schema bounds it where it crosses
 * to central (an emailed receipt).
 */
export const receiptDocumentSchema = z.strictObject({
  language: z.enum(RECEIPT_LANGUAGES),
  kind: z.enum(RECEIPT_KINDS),
  studioName: line(80).min(1),
  studioAddress: z.array(line(60)).max(4),
  /** "PAYMENT", "REFUND", "VOID", "FUTURE PAYMENT" in the receipt's language. */
  title: line(40).min(1),
  /** Lines printed large under the title: "REPRINT", "VOIDED - no money was taken". */
  notices: z.array(line(60)).max(4),
  rows: z.array(receiptRowSchema).max(24),
  recordLabel: line(40),
  recordId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/),
  thanks: line(60),
  /** An email's subject line. */
  subject: line(160).min(1),
});
export type ReceiptDocument = z.infer<typeof receiptDocumentSchema>;

export function receiptLanguageOf(locale: string): ReceiptLanguage {
  return locale.toLowerCase().startsWith("es") ? "es" : "en";
}
