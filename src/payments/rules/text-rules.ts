import { ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";
import { containsCardNumber } from "../card/card-number-scan.js";
import type { PaymentRecord } from "../payment-record.js";
import { freeTextOf } from "../record/free-text.js";

/** "method.checkNumber" → "check number": the field as staff know it. */
const wordsOf = (path: string): string =>
  (path.split(".").at(-1) ?? path).replace(/[A-Z]/g, (letter) => ` ${letter.toLowerCase()}`);

/**
 * No full card number in a note, a reference, a check number or any other free text: it would be
 * stored, printed and sent to central in clear. The error names the field, never the text.
 */
export function checkFreeText(record: PaymentRecord): void {
  for (const { path, text } of freeTextOf(record)) {
    if (containsCardNumber(text)) {
      throw new KioskError(
        ErrorCodes.PAYMENT_CARD_NUMBER_IN_TEXT,
        `The ${wordsOf(path)} looks like it holds a full card number: leave it out, or keep only its last 4 digits.`,
        { field: path },
      );
    }
  }
}
