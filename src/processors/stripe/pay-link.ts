import type Stripe from "stripe";
import { ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";
import type { Logger } from "../../core/logger.js";
import type { PayLinkSource, SaleRequest } from "../../payments/card-processor.js";
import { KEY_METADATA } from "./charge-of.js";
import { fromStripeError } from "./stripe-errors.js";

export interface PayLinkTiming {
  /** How long the page stays open (Stripe: 30 minutes to 24 hours). */
  readonly lifetimeMinutes: number;
  /** How often the session is read when no webhook wakes the wait first. */
  readonly pollMs: number;
}

/** Waits `ms` — less when the waker is woken or the client leaves. */
function pause(ms: number, source: PayLinkSource): Promise<void> {
  const waited = source.wake
    ? source.wake.wait(ms)
    : new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
  const signal = source.cancel;
  if (!signal) return waited;
  let stop = (): void => {};
  const left = new Promise<void>((resolve) => {
    stop = resolve;
    signal.addEventListener("abort", stop, { once: true });
  });
  return Promise.race([waited, left]).finally(() => signal.removeEventListener("abort", stop));
}

/**
 * Pay on your phone: a Checkout Session for the amount (its PaymentIntent will carry the intent's
 * key), shown as a QR code, followed until Stripe says it is paid — resolving with the PaymentIntent's
 * id — or it expires or is closed (nothing charged). The webhook, through central, wakes the wait;
 * reading the session every `pollMs` is the fallback.
 */
export async function payByLink(
  stripe: Stripe,
  request: SaleRequest,
  source: PayLinkSource,
  metadata: Record<string, string>,
  timing: PayLinkTiming,
  logger: Logger,
): Promise<string> {
  const created = await stripe.checkout.sessions.create(
    {
      mode: "payment",
      line_items: [
        {
          price_data: {
            currency: request.amount.currency.toLowerCase(),
            unit_amount: request.amount.minor,
            product_data: { name: source.description },
          },
          quantity: 1,
        },
      ],
      // A minute more than asked: Stripe measures the least lifetime (30 minutes) on its own clock.
      expires_at: Math.floor(Date.now() / 1000) + (timing.lifetimeMinutes + 1) * 60,
      client_reference_id: request.reference.recordId,
      metadata,
      payment_intent_data: { metadata },
    },
    { idempotencyKey: request.idempotencyKey },
  );
  let session =
    created.lastResponse.headers["idempotent-replayed"] === "true"
      ? await stripe.checkout.sessions.retrieve(created.id)
      : created;
  if (session.status === "open" && session.url) {
    source.onLink?.({
      sessionId: session.id,
      url: session.url,
      expiresAt: new Date(session.expires_at * 1000).toISOString(),
    });
  }
  let closing = false;
  for (;;) {
    if (session.status === "complete" && session.payment_status === "paid" && session.payment_intent) {
      return typeof session.payment_intent === "string" ? session.payment_intent : session.payment_intent.id;
    }
    if (session.status === "expired") {
      throw new KioskError(
        ErrorCodes.CARD_COLLECTION_CANCELLED,
        closing
          ? "The payment page was closed. Nothing was charged."
          : "The payment page expired. Nothing was charged.",
      );
    }
    if (source.cancel?.aborted && !closing) {
      closing = true;
      await stripe.checkout.sessions.expire(session.id).catch((error: unknown) => {
        // Completed meanwhile: the next read says so.
        logger.info(`closing ${session.id}: ${fromStripeError(error).code}`);
      });
    } else if (!closing) {
      await pause(timing.pollMs, source);
    }
    session = await stripe.checkout.sessions.retrieve(session.id);
  }
}

/**
 * The Checkout Sessions made with this key, open ones expired first so no phone can pay them later.
 * Resolves with the PaymentIntent one of them was paid with, if any.
 */
export async function closeSessionsWithKey(
  stripe: Stripe,
  key: string,
  since: number,
): Promise<string | null> {
  for await (const listed of stripe.checkout.sessions.list({ created: { gte: since }, limit: 100 })) {
    if (listed.metadata?.[KEY_METADATA] !== key) continue;
    let session = listed;
    if (session.status === "open") {
      await stripe.checkout.sessions.expire(session.id).catch(() => undefined);
      session = await stripe.checkout.sessions.retrieve(session.id);
    }
    if (session.status === "open")
      throw new KioskError(ErrorCodes.PROCESSOR_OUTCOME_UNKNOWN, "A payment page could not be closed.", {
        session: session.id,
      });
    if (session.payment_status === "paid" && session.payment_intent)
      return typeof session.payment_intent === "string" ? session.payment_intent : session.payment_intent.id;
  }
  return null;
}
