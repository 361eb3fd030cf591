import { createHash, randomBytes } from "node:crypto";
import type Stripe from "stripe";
import type { CardOutcome, TestCard } from "./fixtures/test-cards.js";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** An id in Stripe's shape: its prefix, then 24 letters and digits (`pi_3Q…`). */
export function stripeId(prefix: string): string {
  const bytes = randomBytes(24);
  let id = "";
  for (const byte of bytes) id += ALPHABET[byte % ALPHABET.length];
  return `${prefix}_${id}`;
}

/**
 * What the simulator knows of a card behind a PaymentMethod: how it answers, and what Stripe shows of
 * it. The full number is never kept — only brand, last 4, expiry and a fingerprint.
 */
export interface CardOnFile {
  readonly brand: TestCard["brand"];
  readonly funding: TestCard["funding"];
  readonly last4: string;
  readonly expMonth: number;
  readonly expYear: number;
  readonly fingerprint: string;
  readonly outcome: CardOutcome;
}

/**
 * `presentedAs` is the number the card came as (or, for a test PaymentMethod id, the test card's
 * masked form): the fingerprint is made from it, one-way, and it is not kept.
 */
export function cardOnFile(
  card: TestCard,
  presentedAs: string,
  expMonth = 12,
  expYear = new Date().getUTCFullYear() + 3,
): CardOnFile {
  return {
    brand: card.brand,
    funding: card.funding,
    last4: card.masked.slice(-4),
    expMonth,
    expYear,
    fingerprint: createHash("sha256").update(`fingerprint:${presentedAs}`).digest("base64url").slice(0, 16),
    outcome: card.outcome,
  };
}

/** Everything the simulated account holds. Tests read it back as the processor's own books. */
export class SimulatorBooks {
  readonly paymentIntents = new Map<string, Stripe.PaymentIntent>();
  readonly charges = new Map<string, Stripe.Charge>();
  readonly refunds = new Map<string, Stripe.Refund>();
  readonly customers = new Map<string, Stripe.Customer>();
  readonly paymentMethods = new Map<string, Stripe.PaymentMethod>();
  readonly setupIntents = new Map<string, Stripe.SetupIntent>();
  readonly locations = new Map<string, Stripe.Terminal.Location>();
  readonly readers = new Map<string, Stripe.Terminal.Reader>();
  readonly sessions = new Map<string, Stripe.Checkout.Session>();
  readonly events: Stripe.Event[] = [];
  /** The card behind each PaymentMethod (brand, last 4, how it answers), never its number. */
  readonly cards = new Map<string, CardOnFile>();
  /** What a Checkout Session's PaymentIntent will carry (its `payment_intent_data[metadata]`). */
  readonly sessionIntentMetadata = new Map<string, Record<string, string>>();
  /** The Idempotency-Key each PaymentIntent and Refund was created with (what the tests count by). */
  readonly createdWithKey = new Map<string, string>();

  /** Charges that succeeded, each with the key its PaymentIntent was created with. */
  succeededCharges(): { charge: Stripe.Charge; key: string | null }[] {
    return [...this.charges.values()]
      .filter((charge) => charge.status === "succeeded")
      .map((charge) => ({
        charge,
        key: charge.payment_intent ? (this.createdWithKey.get(String(charge.payment_intent)) ?? null) : null,
      }));
  }
}
