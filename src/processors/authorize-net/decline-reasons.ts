import { type ErrorCode, ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";
import { RESPONSE_CODE } from "./wire-types.js";

interface Reason {
  readonly code: ErrorCode;
  readonly message: string;
}

const DECLINED: Reason = {
  code: ErrorCodes.PROCESSOR_DECLINED,
  message: "The card was declined. Please try another card.",
};
const DO_NOT_HONOR: Reason = {
  code: ErrorCodes.PROCESSOR_DO_NOT_HONOR,
  message: "The card's bank declined it. Please call your bank or try another card.",
};
const EXPIRED: Reason = {
  code: ErrorCodes.PROCESSOR_EXPIRED_CARD,
  message: "The card has expired. Please use another card.",
};
const INVALID: Reason = {
  code: ErrorCodes.PROCESSOR_INVALID_CARD,
  message: "The card could not be read as a valid card. Please try again or use another card.",
};
const NOT_MADE: Reason = {
  code: ErrorCodes.PROCESSOR_UNAVAILABLE,
  message: "Authorize.Net could not process the card right now. Nothing was charged.",
};
export const HELD_FOR_REVIEW: Reason = {
  code: ErrorCodes.PROCESSOR_HELD_FOR_REVIEW,
  message:
    "Authorize.Net's fraud filters held the payment for review; the kiosk declined it, so nothing was charged. Please try another card or see the front desk.",
};

/**
 * Authorize.Net's response reason codes, in the kiosk's words. It reports no separate reason for
 * insufficient funds: the issuer's "51" and most others arrive as reason 2, a general decline. A
 * referral (3, "call the issuer for a voice authorization") asks the client what do-not-honor asks:
 * call the bank. A pick-up (4), a card code or address mismatch (27, 44, 45, 65) and the fraud
 * filters' declines (250, 251, 254) are plain declines at a counter.
 */
const BY_REASON: Readonly<Record<number, Reason>> = {
  2: DECLINED,
  3: DO_NOT_HONOR,
  4: DECLINED,
  6: INVALID,
  7: INVALID,
  8: EXPIRED,
  37: INVALID,
  315: INVALID,
  316: INVALID,
  317: EXPIRED,
  // "An error occurred during processing. Please try again": the processor made nothing.
  19: NOT_MADE,
  20: NOT_MADE,
  21: NOT_MADE,
  22: NOT_MADE,
  23: NOT_MADE,
  25: NOT_MADE,
  26: NOT_MADE,
  57: NOT_MADE,
  58: NOT_MADE,
  59: NOT_MADE,
  60: NOT_MADE,
  61: NOT_MADE,
  62: NOT_MADE,
  63: NOT_MADE,
};

/** A transaction Authorize.Net declined (response code 2) or refused (3), as a coded error. */
export function declineError(responseCode: string, reasonCode: number, text: string): KioskError {
  const reason =
    BY_REASON[reasonCode] ??
    (responseCode === RESPONSE_CODE.declined
      ? DECLINED
      : {
          code: ErrorCodes.PROCESSOR_REJECTED_REQUEST,
          message: `Authorize.Net refused the request (reason ${reasonCode}: ${text}). Nothing was charged.`,
        });
  return new KioskError(reason.code, reason.message, { responseCode, reasonCode });
}

export function heldForReviewError(transId: string): KioskError {
  return new KioskError(HELD_FOR_REVIEW.code, HELD_FOR_REVIEW.message, { transId });
}
