import type { CardDetails, PaymentRecord } from "../payments/payment-record.js";
import type { Charge } from "../payments/processor/processor.js";

/** The record fields a processor's charge fills in: never more than it returned about the card. */
export function approvedChange(record: PaymentRecord, charge: Charge): Partial<PaymentRecord> {
  const before: CardDetails | null = record.method.type === "card" ? record.method : null;
  return {
    status: "completed",
    declineCode: null,
    method: {
      type: "card",
      cardType: before?.cardType ?? charge.card.brand,
      entryMode: before?.entryMode ?? "swiped",
      authorizationCode: charge.authorizationCode.replace(/[^A-Za-z0-9]/g, "").slice(0, 12) || null,
      processorToken: charge.token ?? before?.processorToken ?? null,
      processorReference: charge.chargeId,
      maskedPan: charge.card.maskedPan ?? before?.maskedPan ?? null,
      brand: charge.card.brand ?? before?.brand ?? null,
    },
  };
}

export function declinedChange(code: string): Partial<PaymentRecord> {
  return { status: "declined", declineCode: code };
}
