import type { Checkout } from "../../../checkout/checkout.js";
import type { ReaderProgress } from "../../../checkout/checkout-types.js";
import { isKioskError } from "../../../core/kiosk-error.js";
import type { ChargeResult } from "../../flows/self-service/events.js";
import { type ChargeRequest, resultOf } from "./charge-card.js";

/**
 * A client's card payment on the smart reader: a self-service record through checkout (intent on
 * disk before the reader is asked), the reader's steps told as they come, cancelled when `cancel`
 * aborts. Whatever is refused before the reader starts is a decline the client can read.
 */
export async function chargeOnReader(
  checkout: Checkout,
  request: ChargeRequest,
  hooks: { progress: (step: ReaderProgress) => void; cancel: AbortSignal },
): Promise<ChargeResult> {
  try {
    const outcome = await checkout.payOnReader(
      {
        kind: "payment",
        invoiceId: request.invoiceId,
        amountMinor: request.amount.minor,
        currency: request.amount.currency,
        methodId: request.methodId,
        methodFields: { type: "card", entryMode: "swiped" },
      },
      { kind: "self-service" },
      { ...hooks, saveCard: request.saveCard },
    );
    return resultOf(outcome);
  } catch (error) {
    if (isKioskError(error))
      return { kind: "declined", problem: { code: error.code, message: error.detail } };
    throw error;
  }
}
