import Stripe from "stripe";
import type { OffSessionCharger, OffSessionOutcome, OffSessionRequest } from "./off-session-charger.js";

/**
 * Declines the issuer may reverse later: retried on the schedule. Stripe's guidance is not to retry
 * lost, stolen, expired or fraudulent cards, and never to retry a card the issuer called invalid.
 */
const SOFT_DECLINES: ReadonlySet<string> = new Set([
  "insufficient_funds",
  "processing_error",
  "try_again_later",
  "issuer_not_available",
  "reenter_transaction",
  "approve_with_id",
  "generic_decline",
  "card_velocity_exceeded",
  "withdrawal_count_limit_exceeded",
]);

const idOf = (value: string | { id: string } | null | undefined): string | null =>
  value === null || value === undefined ? null : typeof value === "string" ? value : value.id;

/**
 * Off-session charges with the studio's full Stripe key, on central only: the saved card's
 * customer named, `off_session: true` (no one is there to authenticate), Stripe's idempotency key
 * the try's own. A charge that needs the client's authentication gets a Checkout Session for the
 * amount, on the same customer, whose payment carries the next try's key.
 */
export function stripeOffSession(stripe: Stripe, pageLifetimeHours = 24): OffSessionCharger {
  async function payLink(request: OffSessionRequest, customer: string | null): Promise<string> {
    const metadata = { ...request.metadata, spectra_key: request.pageKey };
    const session = await stripe.checkout.sessions.create(
      {
        mode: "payment",
        ...(customer ? { customer } : {}),
        line_items: [
          {
            price_data: {
              currency: request.currency.toLowerCase(),
              unit_amount: request.amountMinor,
              product_data: { name: request.description },
            },
            quantity: 1,
          },
        ],
        expires_at: Math.floor(Date.now() / 1000) + pageLifetimeHours * 3600,
        client_reference_id: request.metadata.record_id ?? null,
        metadata,
        payment_intent_data: { metadata },
      } as Stripe.Checkout.SessionCreateParams,
      { idempotencyKey: `page:${request.idempotencyKey}` },
    );
    if (!session.url) throw new Error(`Stripe's payment page ${session.id} has no address`);
    return session.url;
  }

  return {
    async charge(request): Promise<OffSessionOutcome> {
      const method = await stripe.paymentMethods.retrieve(request.token);
      const customer = idOf(method.customer);
      try {
        const intent = await stripe.paymentIntents.create(
          {
            amount: request.amountMinor,
            currency: request.currency.toLowerCase(),
            payment_method: request.token,
            ...(customer ? { customer } : {}),
            off_session: true,
            confirm: true,
            metadata: { ...request.metadata },
          },
          { idempotencyKey: request.idempotencyKey },
        );
        if (intent.status === "succeeded") return { kind: "charged", paymentIntent: intent.id };
        if (intent.status === "requires_action")
          return {
            kind: "authentication-required",
            paymentIntent: intent.id,
            payLinkUrl: await payLink(request, customer),
          };
        throw new Error(`Stripe left the off-session payment ${intent.id} ${intent.status}`);
      } catch (error) {
        if (!(error instanceof Stripe.errors.StripeCardError)) throw error;
        const code = error.decline_code ?? error.code ?? "card_declined";
        const paymentIntent = idOf(error.payment_intent as { id: string } | undefined);
        if (code === "authentication_required" || error.code === "authentication_required")
          return {
            kind: "authentication-required",
            paymentIntent,
            payLinkUrl: await payLink(request, customer),
          };
        return { kind: "declined", code, soft: SOFT_DECLINES.has(code), paymentIntent };
      }
    },
  };
}
