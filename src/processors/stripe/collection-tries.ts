import type Stripe from "stripe";
import type { CentralCollections, CentralCollectionTry } from "../../payments/central-collections.js";
import { chargeOf, KEY_METADATA } from "./charge-of.js";

/** How far back the tries of a due payment are read: central retries for days, a kiosk may be off. */
const WINDOW_DAYS = 35;

const attemptOf = (key: string | undefined, recordId: string): number | null => {
  const prefix = `collect:${recordId}:`;
  if (!key?.startsWith(prefix)) return null;
  const attempt = Number(key.slice(prefix.length));
  return Number.isSafeInteger(attempt) && attempt >= 1 ? attempt : null;
};

/**
 * Central's off-session tries, read at Stripe by their keys' metadata (`collect:{record}:{try}`),
 * without touching them: a failed try's PaymentIntent is left as it is, and a payment page still
 * open is read, never closed (unlike a look-up by key, which cancels what it finds unpaid).
 */
export function stripeCollectionTries(stripe: Stripe, now: () => number = Date.now): CentralCollections {
  return {
    async triesFor(recordId) {
      const since = Math.floor(now() / 1000) - WINDOW_DAYS * 86_400;
      const tries: CentralCollectionTry[] = [];
      for await (const intent of stripe.paymentIntents.list({ created: { gte: since }, limit: 100 })) {
        if (intent.metadata.record_id !== recordId) continue;
        const attempt = attemptOf(intent.metadata[KEY_METADATA], recordId);
        if (attempt === null) continue;
        if (intent.status === "succeeded") {
          const paid = await stripe.paymentIntents.retrieve(intent.id, { expand: ["latest_charge"] });
          tries.push({ attempt, kind: "charged", charge: chargeOf(paid) });
          continue;
        }
        const failure = intent.last_payment_error;
        if (!failure) continue; // a page's payment not made yet, or one under way
        const code = failure.decline_code ?? failure.code ?? "card_declined";
        tries.push(
          code === "authentication_required"
            ? {
                attempt,
                kind: "authentication-required",
                payLink: await openPage(stripe, recordId, attempt + 1, since),
              }
            : { attempt, kind: "declined", code },
        );
      }
      return tries.sort((a, b) => a.attempt - b.attempt);
    },
  };
}

/** The open payment page central made for the client to authenticate (its payment is the next try). */
async function openPage(
  stripe: Stripe,
  recordId: string,
  attempt: number,
  since: number,
): Promise<string | null> {
  for await (const session of stripe.checkout.sessions.list({ created: { gte: since }, limit: 100 })) {
    if (session.metadata?.[KEY_METADATA] === `collect:${recordId}:${attempt}` && session.status === "open")
      return session.url;
  }
  return null;
}
