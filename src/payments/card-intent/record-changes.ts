import type { MaskedPan } from "../card/masked-pan.js";
import type { Charge, RefundResult } from "../card-processor.js";
import type { CardDetails, PaymentRecord } from "../payment-record.js";

/**
 * The masked number to keep: a processor returns only BIN and last 4, so its mask cannot know the
 * card's length (a 15-digit Amex would read as 16); the reader's mask does, and is kept when the
 * processor charged that same card.
 */
function maskedPanAfter(before: MaskedPan | null | undefined, charged: MaskedPan | null): MaskedPan | null {
  if (!charged) return before ?? null;
  const sameCard =
    before && before.slice(0, 6) === charged.slice(0, 6) && before.slice(-4) === charged.slice(-4);
  return sameCard ? before : charged;
}

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
      maskedPan: maskedPanAfter(before?.maskedPan, charge.card.maskedPan),
      brand: charge.card.brand ?? before?.brand ?? null,
    },
  };
}

/** A refund the processor made: the record keeps the refund's id as its processor reference. */
export function refundedChange(record: PaymentRecord, refund: RefundResult): Partial<PaymentRecord> {
  return record.method.type === "card"
    ? { status: "completed", method: { ...record.method, processorReference: refund.refundId } }
    : { status: "completed" };
}

export function declinedChange(code: string): Partial<PaymentRecord> {
  return { status: "declined", declineCode: code };
}

/** A due future payment whose try did not charge the card waits for its next try, undated. */
export const backToScheduled: Partial<PaymentRecord> = { status: "scheduled", paymentDate: null };
