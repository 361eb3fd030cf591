import Stripe from "stripe";
import { type ErrorCode, ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";

interface Decline {
  readonly code: ErrorCode;
  readonly message: string;
}

const DECLINED: Decline = {
  code: ErrorCodes.PROCESSOR_DECLINED,
  message: "The card was declined. Please try another card.",
};
const INSUFFICIENT: Decline = {
  code: ErrorCodes.PROCESSOR_INSUFFICIENT_FUNDS,
  message: "The card was declined for insufficient funds. Please try another card or a smaller amount.",
};
const EXPIRED: Decline = {
  code: ErrorCodes.PROCESSOR_EXPIRED_CARD,
  message: "The card has expired. Please use another card.",
};
// Lost and stolen cards are told as the bank's refusal, never by their reason (Stripe's advice).
const CALL_BANK: Decline = {
  code: ErrorCodes.PROCESSOR_DO_NOT_HONOR,
  message: "The card's bank declined it. Please call your bank or try another card.",
};
const INVALID: Decline = {
  code: ErrorCodes.PROCESSOR_INVALID_CARD,
  message: "The card could not be read as a valid card. Please try again or use another card.",
};
const TRY_AGAIN: Decline = {
  code: ErrorCodes.PROCESSOR_DECLINED,
  message: "The card could not be processed. Please try again.",
};
const NEEDS_CLIENT: Decline = {
  code: ErrorCodes.PROCESSOR_DECLINED,
  message: "The card's bank wants the client to confirm this payment; send them a payment link.",
};

/**
 * Stripe's decline codes (docs.stripe.com/declines/codes) in the kiosk's five reasons. The
 * `decline_code` decides when there is one, else the error's `code`.
 */
const BY_STRIPE_CODE: Readonly<Record<string, Decline>> = {
  generic_decline: DECLINED,
  card_declined: DECLINED,
  insufficient_funds: INSUFFICIENT,
  card_velocity_exceeded: INSUFFICIENT,
  withdrawal_count_limit_exceeded: INSUFFICIENT,
  expired_card: EXPIRED,
  do_not_honor: CALL_BANK,
  call_issuer: CALL_BANK,
  lost_card: CALL_BANK,
  stolen_card: CALL_BANK,
  pickup_card: CALL_BANK,
  restricted_card: CALL_BANK,
  fraudulent: CALL_BANK,
  incorrect_number: INVALID,
  invalid_number: INVALID,
  incorrect_cvc: INVALID,
  invalid_cvc: INVALID,
  invalid_expiry_month: INVALID,
  invalid_expiry_year: INVALID,
  card_not_supported: INVALID,
  incorrect_pin: INVALID,
  invalid_pin: INVALID,
  pin_try_exceeded: INVALID,
  processing_error: TRY_AGAIN,
  try_again_later: TRY_AGAIN,
  authentication_required: NEEDS_CLIENT,
};

/** An issuer's answer (a card error's or a reader action's) as the kiosk's coded decline. */
export function declineOf(
  code: string | null | undefined,
  declineCode: string | null | undefined,
): KioskError {
  const decline = BY_STRIPE_CODE[declineCode ?? ""] ?? BY_STRIPE_CODE[code ?? ""] ?? DECLINED;
  return new KioskError(decline.code, decline.message, {
    declineCode: declineCode ?? code ?? "card_declined",
  });
}

const UNREACHABLE = new Set(["ECONNREFUSED", "ENOTFOUND", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN"]);

/**
 * What an SDK error means for the kiosk: a decline; a request Stripe refused without acting on it
 * (so nothing was charged); a key that may not do this; Stripe out of reach before anything was
 * sent; or — a timeout, a cut connection, a 5xx, a key still in use — an outcome to look up.
 */
export function fromStripeError(error: unknown): KioskError {
  if (error instanceof KioskError) return error;
  if (!(error instanceof Stripe.errors.StripeError)) {
    return new KioskError(
      ErrorCodes.PROCESSOR_OUTCOME_UNKNOWN,
      "The card processor call failed unexpectedly.",
      {},
      { cause: error },
    );
  }
  const status = error.statusCode ?? 0;
  const context = { status, code: error.code ?? null, requestId: error.requestId ?? null };
  if (error instanceof Stripe.errors.StripeCardError) return declineOf(error.code, error.decline_code);
  if (error instanceof Stripe.errors.StripeIdempotencyError) {
    return new KioskError(
      ErrorCodes.PROCESSOR_IDEMPOTENCY_CONFLICT,
      "Stripe already saw this request with other details; nothing new was charged.",
      context,
    );
  }
  if (error instanceof Stripe.errors.StripePermissionError) {
    return new KioskError(
      ErrorCodes.PROCESSOR_NOT_PERMITTED,
      "The kiosk's Stripe key may not do this (it can take payments only); central does it with the studio's full key.",
      context,
    );
  }
  if (error instanceof Stripe.errors.StripeAuthenticationError) {
    return new KioskError(
      ErrorCodes.PROCESSOR_UNAVAILABLE,
      "Stripe refused the kiosk's key: check the key file named in processor.apiKeyFile. Nothing was charged.",
      context,
    );
  }
  if (error instanceof Stripe.errors.StripeRateLimitError) {
    return new KioskError(
      ErrorCodes.PROCESSOR_UNAVAILABLE,
      "Stripe asked the kiosk to slow down. Nothing was charged.",
      context,
    );
  }
  if (error instanceof Stripe.errors.StripeInvalidRequestError) {
    if (error.code === "terminal_reader_offline")
      return new KioskError(
        ErrorCodes.CARD_READER_OFFLINE,
        "The card reader is offline: check its power and network. Nothing was charged.",
        context,
      );
    if (error.code === "terminal_reader_busy")
      return new KioskError(
        ErrorCodes.CARD_READER_BUSY,
        "The card reader is busy with another payment. Nothing was charged.",
        context,
      );
    return new KioskError(
      ErrorCodes.PROCESSOR_REJECTED_REQUEST,
      `Stripe rejected the request (${error.code ?? status}). Nothing was charged.`,
      context,
    );
  }
  if (error instanceof Stripe.errors.StripeConnectionError) {
    const cause = (error.detail as { code?: unknown } | undefined)?.code;
    if (typeof cause === "string" && UNREACHABLE.has(cause)) {
      return new KioskError(
        ErrorCodes.PROCESSOR_UNAVAILABLE,
        "Stripe cannot be reached. Nothing was charged.",
        { ...context, cause },
      );
    }
  }
  return new KioskError(
    ErrorCodes.PROCESSOR_OUTCOME_UNKNOWN,
    "Stripe did not answer in time; the kiosk will check whether the card was charged.",
    context,
  );
}
