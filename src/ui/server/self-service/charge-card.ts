import type { Checkout } from "../../../checkout/checkout.js";
import type { ChargeOutcome } from "../../../checkout/checkout-types.js";
import { isKioskError } from "../../../core/kiosk-error.js";
import type { CardRead } from "../../../drivers/card-reader/card-read.js";
import type { MoneyView } from "../../flows/money-view.js";
import type { ChargeResult } from "../../flows/self-service/events.js";

export interface ChargeRequest {
  readonly invoiceId: string;
  readonly methodId: string;
  readonly amount: MoneyView;
  /** The client agreed to keep the card for later payments. */
  readonly saveCard: boolean;
}

/** A charge's outcome as the flow takes it: the record's card (masked) or the reason it did not go through. */
export function resultOf(outcome: ChargeOutcome): ChargeResult {
  switch (outcome.kind) {
    case "approved":
    case "stored-offline": {
      const method = outcome.record.method;
      const card =
        method.type === "card"
          ? { maskedPan: method.maskedPan, brand: method.brand, authorizationCode: method.authorizationCode }
          : { maskedPan: null, brand: null, authorizationCode: null };
      return { kind: outcome.kind, recordId: outcome.record.id, card };
    }
    case "declined":
    case "unknown":
      return { kind: outcome.kind, problem: { code: outcome.reason.code, message: outcome.reason.detail } };
  }
}

/**
 * A client's card payment: a self-service record through checkout's card charger (intent on disk
 * before the processor is called). A draft the rules refuse is a decline the client can read; the
 * card's clear data is wiped whatever happens.
 */
export async function chargeCard(
  checkout: Checkout,
  read: CardRead,
  request: ChargeRequest,
): Promise<ChargeResult> {
  try {
    const outcome = await checkout.payWithSwipe(
      {
        kind: "payment",
        invoiceId: request.invoiceId,
        amountMinor: request.amount.minor,
        currency: request.amount.currency,
        methodId: request.methodId,
        methodFields: { type: "card", entryMode: "swiped", brand: read.brand },
      },
      { kind: "self-service" },
      read,
      () => {},
      { saveCard: request.saveCard },
    );
    return resultOf(outcome);
  } catch (error) {
    read.secrets.wipe();
    if (isKioskError(error))
      return { kind: "declined", problem: { code: error.code, message: error.detail } };
    throw error;
  }
}
