import type { KioskError } from "../../core/kiosk-error.js";
import type { PaymentRecord } from "../../payments/payment-record.js";

/**
 * What became of one card payment or refund, for the screen: approved; declined with the issuer's
 * reason; accepted offline to forward later; or not known yet (the kiosk will find out and staff
 * will see it), which the screen must never show as paid.
 */
export type ChargeOutcome =
  | { readonly kind: "approved"; readonly record: PaymentRecord }
  | { readonly kind: "declined"; readonly record: PaymentRecord; readonly reason: KioskError }
  | { readonly kind: "stored-offline"; readonly record: PaymentRecord }
  | { readonly kind: "unknown"; readonly record: PaymentRecord; readonly reason: KioskError };
