/**
 * What central asks of the studio's processor with its full key. Generic: each processor central
 * works with gives one (Stripe's in stripe-operations.ts). A refusal is a KioskError with the
 * processor's coded reason (nothing was done); anything else leaves the outcome unknown.
 */
export interface ProcessorOperations {
  refund(request: {
    readonly idempotencyKey: string;
    readonly chargeId: string;
    /** null: all that is left of the charge (a void). */
    readonly amountMinor: number | null;
    readonly metadata: Readonly<Record<string, string>>;
  }): Promise<{ refundId: string; amountMinor: number; currency: string }>;
}
