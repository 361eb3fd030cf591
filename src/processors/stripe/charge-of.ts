import type Stripe from "stripe";
import { ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";
import type { Charge, SavedCard } from "../../payments/card-processor.js";

/** The metadata key every PaymentIntent and Refund of the kiosk's carries: the intent's key. */
export const KEY_METADATA = "spectra_key";

/** Stripe's card brand codes as the receipt and the screens name them. */
const BRAND_NAMES: Readonly<Record<string, string>> = {
  visa: "Visa",
  mastercard: "Mastercard",
  amex: "American Express",
  american_express: "American Express",
  discover: "Discover",
  diners: "Diners Club",
  jcb: "JCB",
  unionpay: "UnionPay",
  interac: "Interac",
  eftpos_au: "eftpos",
};

export const brandName = (brand: string | null | undefined): string | null =>
  brand ? (BRAND_NAMES[brand] ?? brand) : null;

/** Stripe's lowercase currency in the kiosk's ISO form. */
export const isoCurrency = (currency: string): string => currency.toUpperCase();

/**
 * A succeeded PaymentIntent (its latest charge expanded) as the kiosk's Charge: the PaymentIntent's
 * id is the charge id (refunds and voids take it); card data is brand, last 4 and expiry only. The
 * token is the reusable card a card-present payment saved for the client, when it did.
 */
export function chargeOf(intent: Stripe.PaymentIntent): Charge {
  const charge = intent.latest_charge;
  if (intent.status !== "succeeded" || !charge || typeof charge === "string") {
    throw new KioskError(
      ErrorCodes.PROCESSOR_OUTCOME_UNKNOWN,
      "Stripe's answer did not show the charge; the kiosk will check whether the card was charged.",
      { paymentIntent: intent.id, status: intent.status },
    );
  }
  const details = charge.payment_method_details;
  const present = details?.card_present ?? null;
  const card = details?.card ?? null;
  const last4 = present?.last4 ?? card?.last4 ?? "0000";
  const expMonth = present?.exp_month ?? card?.exp_month ?? null;
  const expYear = present?.exp_year ?? card?.exp_year ?? null;
  return {
    chargeId: intent.id,
    amount: { minor: intent.amount_received || intent.amount, currency: isoCurrency(intent.currency) },
    authorizationCode: present?.receipt?.authorization_code ?? card?.authorization_code ?? "",
    card: {
      brand: brandName(present?.brand ?? card?.brand),
      maskedPan: null,
      last4,
      expiry: expMonth && expYear ? { month: expMonth, year: expYear } : null,
    },
    token: present?.generated_card ?? null,
    idempotencyKey: intent.metadata[KEY_METADATA] ?? "",
  };
}

/** A card PaymentMethod as a saved card: its id is the token the kiosk keeps. */
export function savedCardOf(method: Stripe.PaymentMethod): SavedCard {
  const card = method.card;
  if (!card) {
    throw new KioskError(ErrorCodes.PROCESSOR_REJECTED_REQUEST, "Only a card can be saved.", {
      type: method.type,
    });
  }
  return {
    token: method.id,
    brand: brandName(card.brand),
    last4: card.last4,
    expiry: { month: card.exp_month, year: card.exp_year },
  };
}
