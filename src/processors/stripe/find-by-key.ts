import type Stripe from "stripe";
import { KEY_METADATA } from "./charge-of.js";

/**
 * The PaymentIntent (or Refund) the kiosk created with this key, found by the key it carries in its
 * metadata among those created within the window. Stripe's list is read, not its search: search is
 * eventually consistent (a payment made seconds ago may not be found yet, which would read as "never
 * charged"); a list is not.
 */
export async function intentWithKey(
  stripe: Stripe,
  key: string,
  since: number,
): Promise<Stripe.PaymentIntent | null> {
  for await (const intent of stripe.paymentIntents.list({ created: { gte: since }, limit: 100 })) {
    if (intent.metadata[KEY_METADATA] === key) return intent;
  }
  return null;
}

export async function refundWithKey(
  stripe: Stripe,
  key: string,
  since: number,
): Promise<Stripe.Refund | null> {
  for await (const refund of stripe.refunds.list({ created: { gte: since }, limit: 100 })) {
    if (refund.metadata?.[KEY_METADATA] === key) return refund;
  }
  return null;
}
