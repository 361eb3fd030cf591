import { ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";
import type { CardPrefixRule } from "../../payments/card/card-brand.js";
import type { MaskedPan } from "../../payments/card/masked-pan.js";
import type { CardRead } from "./card-read.js";

export interface SwipeOptions {
  readonly prefixes: readonly CardPrefixRule[];
  readonly now: Date;
  /** Reject an expired card at the reader (the usual choice); otherwise it is read with `expired`. */
  readonly rejectExpired: boolean;
}

export type SwipeOutcome =
  | { readonly ok: true; readonly card: CardRead }
  | { readonly ok: false; readonly error: KioskError };

/** The coded reasons a swipe is refused. None carries the line or a card number in clear. */
export const swipeErrors = {
  unknownFormat: (why: string): KioskError =>
    new KioskError(
      ErrorCodes.CARD_SWIPE_UNKNOWN_FORMAT,
      `The reader sent something that is not a payment card swipe (${why}): swipe again, or check the reader's output format.`,
    ),
  readError: (): KioskError =>
    new KioskError(
      ErrorCodes.CARD_TRACK_READ_ERROR,
      "The reader could not read the card's stripe: swipe again, steadily.",
    ),
  trackMismatch: (): KioskError =>
    new KioskError(
      ErrorCodes.CARD_TRACK_MISMATCH,
      "The card's track 1 and track 2 carry different card numbers: swipe again, or use another card.",
    ),
  expired: (expiry: string, masked: MaskedPan): KioskError =>
    new KioskError(ErrorCodes.CARD_EXPIRED, `This card expired at the end of ${expiry}: use another card.`, {
      masked,
    }),
};
