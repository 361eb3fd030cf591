import type Stripe from "stripe";
import type { Params } from "./form-body.js";
import { refundObject } from "./objects.js";
import { metadataParam, optionalInteger, optionalString } from "./params.js";
import { retrievePaymentIntent } from "./payment-intents.js";
import type { SimContext } from "./sim-context.js";
import { SimulatedFailure } from "./simulated-failure.js";

/** A refund of a captured charge, in full or in part, never beyond what is left of it. */
export function createRefund(context: SimContext, params: Params): Stripe.Refund {
  const intentId = optionalString(params, "payment_intent", 255);
  const chargeParam = optionalString(params, "charge", 255);
  if (!intentId && !chargeParam) throw SimulatedFailure.parameterMissing("payment_intent");
  let chargeId = chargeParam;
  if (intentId) {
    const intent = retrievePaymentIntent(context, intentId);
    if (intent.status !== "succeeded" || !intent.latest_charge)
      throw SimulatedFailure.invalidRequest(
        `This PaymentIntent (${intentId}) does not have a successful charge to refund.`,
        "charge_not_refundable",
        "payment_intent",
      );
    chargeId = String(intent.latest_charge);
  }
  const charge = context.books.charges.get(chargeId as string);
  if (!charge) throw SimulatedFailure.missing("charge", chargeId as string, "charge");
  if (!charge.captured || charge.status !== "succeeded")
    throw SimulatedFailure.invalidRequest(
      `Charge ${charge.id} has not been captured; cancel its PaymentIntent instead.`,
      "charge_not_refundable",
    );
  const left = charge.amount_captured - charge.amount_refunded;
  if (left <= 0)
    throw SimulatedFailure.invalidRequest(
      `Charge ${charge.id} has already been refunded.`,
      "charge_already_refunded",
    );
  const amount = optionalInteger(params, "amount") ?? left;
  if (amount <= 0)
    throw SimulatedFailure.invalidRequest(
      "Refund amount must be positive.",
      "parameter_invalid_integer",
      "amount",
    );
  if (amount > left)
    throw SimulatedFailure.invalidRequest(
      `Refund amount (${amount}) is greater than unrefunded amount on charge (${left})`,
      "amount_too_large",
      "amount",
    );
  const reason = optionalString(params, "reason", 40) as Stripe.Refund.Reason | null;
  const refund = refundObject(charge, amount, metadataParam(params), reason, context.now());
  context.books.refunds.set(refund.id, refund);
  const refunded = charge.amount_refunded + amount;
  const updated: Stripe.Charge = {
    ...charge,
    amount_refunded: refunded,
    refunded: refunded === charge.amount_captured,
  };
  context.books.charges.set(charge.id, updated);
  context.emit("refund.created", refund);
  context.emit("charge.refunded", updated);
  return refund;
}

export function retrieveRefund(context: SimContext, id: string): Stripe.Refund {
  const refund = context.books.refunds.get(id);
  if (!refund) throw SimulatedFailure.missing("refund", id);
  return refund;
}
