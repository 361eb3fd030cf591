import type { CardBehaviour } from "../processor-contract.test-helpers.js";
import { KIOSK_KEY_GRANT } from "../stripe-simulator/kiosk-grant.js";

/** What a kiosk's restricted key may do: the simulator's grant for it (docs/operations.md). */
export const KIOSK_GRANT = KIOSK_KEY_GRANT;

/** Stripe's test PaymentMethods for each behaviour the contract asks for. */
export const STRIPE_TEST_METHOD: Record<CardBehaviour, string> = {
  approve: "pm_card_visa",
  PROCESSOR_DECLINED: "pm_card_chargeDeclined",
  PROCESSOR_INSUFFICIENT_FUNDS: "pm_card_chargeDeclinedInsufficientFunds",
  PROCESSOR_EXPIRED_CARD: "pm_card_chargeDeclinedExpiredCard",
  // Stripe has no do_not_honor test card; a lost card is told to the client as the bank's refusal.
  PROCESSOR_DO_NOT_HONOR: "pm_card_chargeDeclinedLostCard",
  PROCESSOR_INVALID_CARD: "pm_card_chargeDeclinedIncorrectCvc",
};

/** The test card typed on Stripe's page for each behaviour. */
export const PAGE_CARD: Record<CardBehaviour, string> = {
  approve: "4242424242424242",
  PROCESSOR_DECLINED: "4000000000000002",
  PROCESSOR_INSUFFICIENT_FUNDS: "4000000000009995",
  PROCESSOR_EXPIRED_CARD: "4000000000000069",
  PROCESSOR_DO_NOT_HONOR: "4000000000009987",
  PROCESSOR_INVALID_CARD: "4000000000000127",
};
