import { type ErrorCode, ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";
import type { ReceiptDocument } from "../../payments/receipt/receipt-document.js";
import type { ReceiptMailer } from "../../payments/receipt/receipt-mailer.js";
import type { ReceiptEmailMessage, ReceiptEmailResultMessage } from "../protocol/receipt-messages.js";

/** The part of the sync agent emailed receipts travel through. */
export interface ReceiptMailLine {
  askReceiptEmail(request: ReceiptEmailMessage): boolean;
  on(event: "receiptEmailResult", listener: (result: ReceiptEmailResultMessage) => void): unknown;
  off(event: "receiptEmailResult", listener: (result: ReceiptEmailResultMessage) => void): unknown;
}

/**
 * Emailed receipts asked of central over MQTT, each with its own id and its own wait. Not queued:
 * a kiosk that is not connected gets RECEIPT_EMAIL_OFFLINE at once (the client is standing there;
 * a receipt emailed hours later, unasked, would surprise more than help). No answer within
 * `timeoutMs`: RECEIPT_EMAIL_NO_ANSWER (central may still send it).
 */
export class ReceiptMailClient implements ReceiptMailer {
  constructor(
    private readonly line: ReceiptMailLine,
    private readonly options: { readonly timeoutMs: number; readonly newId: () => string },
  ) {}

  send(request: { readonly to: string; readonly receipt: ReceiptDocument }): Promise<void> {
    const requestId = this.options.newId();
    return new Promise<void>((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        this.line.off("receiptEmailResult", onResult);
      };
      const onResult = (result: ReceiptEmailResultMessage): void => {
        if (result.requestId !== requestId) return;
        done();
        if (result.outcome === "sent") resolve();
        else reject(new KioskError(knownCode(result.code), result.message));
      };
      const timer = setTimeout(() => {
        done();
        reject(
          new KioskError(
            ErrorCodes.RECEIPT_EMAIL_NO_ANSWER,
            "Central did not answer in time: the email may still arrive. Print the receipt if the client needs it now.",
          ),
        );
      }, this.options.timeoutMs);
      this.line.on("receiptEmailResult", onResult);
      if (!this.line.askReceiptEmail({ requestId, to: request.to, receipt: request.receipt })) {
        done();
        reject(
          new KioskError(
            ErrorCodes.RECEIPT_EMAIL_OFFLINE,
            "The kiosk cannot reach central to send the email now: print the receipt, or try again when it is online.",
          ),
        );
      }
    });
  }
}

const CODES = new Set<string>(Object.values(ErrorCodes));

/** Central's code when this kiosk knows it; a newer central's unknown code reads as a refusal. */
function knownCode(code: string): ErrorCode {
  return CODES.has(code) ? (code as ErrorCode) : ErrorCodes.RECEIPT_EMAIL_REFUSED;
}
