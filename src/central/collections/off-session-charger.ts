/** What an off-session charge asks of the processor: a saved card, the amount, the try's own key. */
export interface OffSessionRequest {
  readonly idempotencyKey: string;
  readonly token: string;
  readonly amountMinor: number;
  readonly currency: string;
  readonly metadata: Readonly<Record<string, string>>;
  /** The key a payment page made for this try carries on its payment (the next try's). */
  readonly pageKey: string;
  /** What the client sees on the payment page ("Invoice A-1001"). */
  readonly description: string;
}

/**
 * How an off-session charge ended. `soft`: the issuer may say yes later (insufficient funds, a
 * processing error), so it is tried again on the schedule; a hard decline is not. A charge that
 * needs the client comes with a payment page staff can send them.
 */
export type OffSessionOutcome =
  | { readonly kind: "charged"; readonly paymentIntent: string }
  | {
      readonly kind: "declined";
      readonly code: string;
      readonly soft: boolean;
      readonly paymentIntent: string | null;
    }
  | {
      readonly kind: "authentication-required";
      readonly paymentIntent: string | null;
      readonly payLinkUrl: string;
    };

/**
 * The processor side of central's collections (Stripe's in stripe-off-session.ts). Rejects only when
 * it cannot say what happened (unreachable, a 5xx): the same key is sent again next round.
 */
export interface OffSessionCharger {
  charge(request: OffSessionRequest): Promise<OffSessionOutcome>;
}
