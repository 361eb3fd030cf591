import type { Money } from "./money.js";

/**
 * Card work a kiosk's own processor key may not do — a refund, a void of a captured charge — asked
 * of central, which checks it against its records and does it with the studio's full key. Generic:
 * any processor's refunds can be routed so (large ones, or all of them).
 */
export interface CardOperation {
  readonly kind: "refund" | "void";
  /** The kiosk's intent key: central passes it to the processor, so asking again never refunds twice. */
  readonly idempotencyKey: string;
  readonly chargeId: string;
  /** The refund's amount; null for a void (all that is left of the charge). */
  readonly amount: Money | null;
  /** The record it is for, when the kiosk knows it (a void names the charge only). */
  readonly recordId: string | null;
}

export type CardOperationResult =
  | { readonly outcome: "done"; readonly refundId: string; readonly amount: Money }
  /** Central or the processor said no (nothing was refunded), with the coded reason. */
  | { readonly outcome: "refused"; readonly code: string; readonly message: string };

/**
 * Central, as the kiosk asks it. Rejects with PROCESSOR_UNAVAILABLE when the request could not be
 * sent (nothing was done) and PROCESSOR_OUTCOME_UNKNOWN when no answer came in time (look it up).
 */
export interface CentralCardOperations {
  request(operation: CardOperation): Promise<CardOperationResult>;
}
