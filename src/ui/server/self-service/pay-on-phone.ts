import type { Checkout } from "../../../checkout/checkout.js";
import { isKioskError } from "../../../core/kiosk-error.js";
import type { ChargeResult } from "../../flows/self-service/events.js";
import type { PhoneLink } from "../../flows/self-service/screens.js";
import { resultOf } from "./charge-card.js";
import { qrCode } from "./qr-code.js";

export interface PhoneRequest {
  readonly invoiceId: string;
  readonly invoiceNumber: string;
  readonly methodId: string;
  readonly amount: { readonly minor: number; readonly currency: string };
}

/**
 * A client's payment on their phone: a self-service card record through checkout (intent on disk
 * before the page is made), the page's QR code handed to the screen, the outcome once the processor
 * reports it; aborting `cancel` closes the page. Refusals before the page exists read as declines.
 */
export async function payOnPhone(
  checkout: Checkout,
  request: PhoneRequest,
  hooks: { onLink: (link: PhoneLink) => void; cancel: AbortSignal },
): Promise<ChargeResult> {
  try {
    const outcome = await checkout.payByPhone(
      {
        kind: "payment",
        invoiceId: request.invoiceId,
        amountMinor: request.amount.minor,
        currency: request.amount.currency,
        methodId: request.methodId,
        methodFields: { type: "card", entryMode: "keyed" },
      },
      { kind: "self-service" },
      {
        description: `Invoice ${request.invoiceNumber}`,
        onLink: (link) => hooks.onLink({ url: link.url, expiresAt: link.expiresAt, qr: qrCode(link.url) }),
        cancel: hooks.cancel,
      },
    );
    return resultOf(outcome);
  } catch (error) {
    if (isKioskError(error))
      return { kind: "declined", problem: { code: error.code, message: error.detail } };
    throw error;
  }
}
