import Stripe from "stripe";
import { ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";
import type { ProcessorOperations } from "./processor-operations.js";

/** Stripe's refusals in the kiosk's codes: a request Stripe refused did nothing; anything else is unknown. */
function coded(error: unknown): KioskError {
  if (!(error instanceof Stripe.errors.StripeError))
    return new KioskError(ErrorCodes.PROCESSOR_OUTCOME_UNKNOWN, "The Stripe call failed unexpectedly.");
  const context = { status: error.statusCode ?? 0, code: error.code ?? null };
  if (error instanceof Stripe.errors.StripePermissionError)
    return new KioskError(
      ErrorCodes.PROCESSOR_NOT_PERMITTED,
      "Central's Stripe key may not make refunds.",
      context,
    );
  if (error instanceof Stripe.errors.StripeAuthenticationError)
    return new KioskError(ErrorCodes.PROCESSOR_UNAVAILABLE, "Stripe refused central's key.", context);
  if (error instanceof Stripe.errors.StripeIdempotencyError)
    return new KioskError(
      ErrorCodes.PROCESSOR_IDEMPOTENCY_CONFLICT,
      "Stripe saw this refund's key with other details.",
      context,
    );
  if (
    error instanceof Stripe.errors.StripeInvalidRequestError ||
    error instanceof Stripe.errors.StripeCardError
  )
    return new KioskError(
      ErrorCodes.PROCESSOR_REJECTED_REQUEST,
      `Stripe refused the refund (${error.code ?? context.status}).`,
      context,
    );
  return new KioskError(ErrorCodes.PROCESSOR_OUTCOME_UNKNOWN, "Stripe did not answer in time.", context);
}

/**
 * Refunds with the studio's full Stripe key, on central only. A void refunds all that is left of the
 * payment. The kiosk's intent key is Stripe's idempotency key and stays in the refund's metadata, so
 * the kiosk finds it by that key too.
 */
export function stripeOperations(stripe: Stripe): ProcessorOperations {
  return {
    async refund(request) {
      try {
        const refund = await stripe.refunds.create(
          {
            payment_intent: request.chargeId,
            ...(request.amountMinor === null ? {} : { amount: request.amountMinor }),
            ...(request.amountMinor === null ? { reason: "requested_by_customer" as const } : {}),
            metadata: { ...request.metadata },
          },
          { idempotencyKey: request.idempotencyKey },
        );
        return { refundId: refund.id, amountMinor: refund.amount, currency: refund.currency.toUpperCase() };
      } catch (error) {
        throw coded(error);
      }
    },
  };
}
