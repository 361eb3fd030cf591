import type { KeyGrant } from "./api-keys.js";

/**
 * What a kiosk's restricted key may do (docs/operations.md): take payments — at the reader and on
 * Stripe's pages — and read them back, and keep a client's customer to save their card on it; never refund, never charge a saved card off-session.
 */
export const KIOSK_KEY_GRANT = {
  payment_intent: "write",
  charge: "read",
  refund: "read",
  terminal_reader: "write",
  payment_method: "read",
  // Finding (or making) the client's customer, to save a card they agreed to save; moves no money.
  customer: "write",
  checkout_session: "write",
} as const satisfies Exclude<KeyGrant, "all">;
