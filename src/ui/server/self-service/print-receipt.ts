import type { ReceiptPrinter } from "../../../drivers/printer/receipt-printer.js";
import type { MaskedPan } from "../../../payments/card/masked-pan.js";
import type { SelfServiceEffect } from "../../flows/self-service/events.js";

export type ReceiptRequest = Extract<SelfServiceEffect, { type: "print-receipt" }>;
/** Prints a self-service receipt; resolves whether it came out. Never rejects for a printer problem. */
export type ReceiptSender = (request: ReceiptRequest) => Promise<boolean>;

export interface ReceiptContext {
  readonly studioName: string;
  readonly timeZone: string;
  readonly locale: string;
  readonly methodName: string;
  readonly now: () => Date;
}

export function receiptSender(printer: ReceiptPrinter | null, context: ReceiptContext): ReceiptSender {
  // Made at the first receipt and kept (an Intl formatter's ICU memory is outside V8's heap).
  let dateTime: Intl.DateTimeFormat | null = null;
  return async (request) => {
    if (!printer) return false;
    dateTime ??= new Intl.DateTimeFormat(context.locale, {
      dateStyle: "medium",
      timeStyle: "short",
      timeZone: context.timeZone,
    });
    const takenAt = dateTime.format(context.now());
    const outcome = await printer.print({
      studioName: context.studioName,
      takenAt,
      invoiceNumber: request.invoiceNumber,
      kind: "payment",
      methodName: context.methodName,
      card: request.card.maskedPan
        ? {
            maskedPan: request.card.maskedPan as MaskedPan,
            authorizationCode: request.card.authorizationCode,
          }
        : null,
      amount: request.amount,
      cash: null,
      balanceRemaining: request.balanceRemaining,
      recordId: request.recordId,
      locale: context.locale,
    });
    return outcome.printed;
  };
}
