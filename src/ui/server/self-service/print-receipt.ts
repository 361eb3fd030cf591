import type { SelfServiceEffect } from "../../flows/self-service/events.js";
import type { ReceiptDesk } from "../receipts/receipt-desk.js";

export type ReceiptRequest = Extract<SelfServiceEffect, { type: "print-receipt" }>;
/** Prints a self-service receipt in the screen's language; resolves whether it came out. Never rejects. */
export type ReceiptSender = (request: ReceiptRequest, locale: string) => Promise<boolean>;

/** Self-service receipts go through the one receipt desk, composed from the committed record. */
export function receiptSender(desk: Pick<ReceiptDesk, "print"> | null): ReceiptSender {
  return async (request, locale) => {
    if (!desk) return false;
    const outcome = await desk.print({ recordId: request.recordId, locale, reprint: false });
    return outcome.printed;
  };
}
