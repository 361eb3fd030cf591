import { ErrorCodes } from "../../core/error-codes.js";
import { isKioskError, KioskError } from "../../core/kiosk-error.js";
import type { AnswerMoment, IntentEvent } from "../../payments/card-intent/intent-events.js";
import type { CardProcessor } from "../../payments/card-processor.js";

/** The issuer's answers: the card was refused, nothing was charged. */
const DECLINES: ReadonlySet<string> = new Set([
  ErrorCodes.PROCESSOR_DECLINED,
  ErrorCodes.PROCESSOR_INSUFFICIENT_FUNDS,
  ErrorCodes.PROCESSOR_EXPIRED_CARD,
  ErrorCodes.PROCESSOR_DO_NOT_HONOR,
  ErrorCodes.PROCESSOR_INVALID_CARD,
]);

export const isDecline = (error: KioskError): boolean => DECLINES.has(error.code);

export function asKioskError(error: unknown): KioskError {
  if (isKioskError(error)) return error;
  return new KioskError(
    ErrorCodes.PROCESSOR_OUTCOME_UNKNOWN,
    "The card processor call failed unexpectedly.",
    {},
    { cause: error },
  );
}

/**
 * Refusals that say nothing was done: a request the processor rejected, one the kiosk's key may not
 * make, a smart reader offline or busy, a collection cancelled (its PaymentIntent cancelled with it).
 */
const NOTHING_DONE: ReadonlySet<string> = new Set([
  ErrorCodes.PROCESSOR_REJECTED_REQUEST,
  ErrorCodes.PROCESSOR_NOT_PERMITTED,
  ErrorCodes.CARD_READER_OFFLINE,
  ErrorCodes.CARD_READER_BUSY,
  ErrorCodes.CARD_COLLECTION_CANCELLED,
  // Authorize.Net's fraud filters held it and the processor declined the hold: nothing was made.
  ErrorCodes.PROCESSOR_HELD_FOR_REVIEW,
]);

/**
 * What a failed sale, saved-card charge or void means for its intent: the issuer's no (or a request
 * the processor rejected) made nothing; an unreachable processor made nothing; anything else may
 * have reached it, so the answer counts as lost and the key is looked up.
 */
export function chargeFailure(coded: KioskError): IntentEvent {
  if (isDecline(coded) || NOTHING_DONE.has(coded.code)) {
    return { type: "declined", code: coded.code };
  }
  if (coded.code === ErrorCodes.PROCESSOR_UNAVAILABLE) return { type: "unreachable", storeOffline: false };
  return { type: "answer-lost" };
}

/**
 * What a failed refund means: only a lost answer or a key the processor saw with other details may
 * hide a refund it made; an unreachable processor made nothing; any other error is a refusal.
 */
export function refundFailure(coded: KioskError): IntentEvent {
  if (
    coded.code === ErrorCodes.PROCESSOR_OUTCOME_UNKNOWN ||
    coded.code === ErrorCodes.PROCESSOR_IDEMPOTENCY_CONFLICT
  ) {
    return { type: "answer-lost" };
  }
  if (coded.code === ErrorCodes.PROCESSOR_UNAVAILABLE) return { type: "unreachable", storeOffline: false };
  return { type: "declined", code: coded.code };
}

/**
 * Looks the intent's key up at the processor: what it made, that it made nothing, or (when the
 * look-up fails too) that the outcome is still unknown.
 */
export async function lookUpByKey(
  processor: CardProcessor,
  what: "charge" | "refund",
  key: string,
  during: AnswerMoment,
  onFailure: (coded: KioskError) => void,
): Promise<IntentEvent> {
  try {
    if (what === "charge") {
      const charge = await processor.lookup(key);
      return charge ? { type: "charged", charge, during } : { type: "found-nothing", during };
    }
    const refund = await processor.lookupRefund(key);
    return refund ? { type: "refunded", refund, during } : { type: "found-nothing", during };
  } catch (error) {
    onFailure(asKioskError(error));
    return { type: "look-up-failed" };
  }
}
