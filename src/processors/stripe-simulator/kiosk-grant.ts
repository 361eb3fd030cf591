import type { KeyGrant } from "./api-keys.js";

/**
 * What a kiosk's restricted key may do (docs/operations.md): take payments — at the reader and on
 * Stripe's pages — and read them back; never refund, never charge a saved card off-session.
 */
export const KIOSK_KEY_GRANT = {
  payment_intent: "write",
  charge: "read",
  refund: "read",
  terminal_reader: "write",
  payment_method: "read",
  checkout_session: "write",
} as const satisfies Exclude<KeyGrant, "all">;
