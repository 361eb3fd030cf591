import { ErrorCodes } from "../../core/error-codes.js";
import { isKioskError } from "../../core/kiosk-error.js";
import type { ReceiptEmailMessage, ReceiptEmailResultMessage } from "../../sync/protocol/receipt-messages.js";
import { type KioskRequestLink, KioskRequestWorker } from "../kiosk-request-worker.js";
import { KioskRate } from "./kiosk-rate.js";
import type { Mailer } from "./mailer.js";
import { receiptEmail } from "./receipt-email.js";

export interface ReceiptMailDeps extends KioskRequestLink {
  /** null: central has no mail section, and every request is refused with MAIL_NOT_CONFIGURED. */
  readonly mailer: Mailer | null;
  readonly perKioskPerHour: number;
}

/**
 * Central's emailed receipts: a kiosk sends a receipt it composed (bounded by the protocol's schema,
 * the address checked again) and central sends it through the studio's SMTP server, then answers the
 * kiosk under the request's id. A kiosk is held to an hourly allowance. Whatever arrives, the worker
 * answers or drops it with a log line; nothing a kiosk sends stops it.
 */
export class ReceiptMailWorker {
  readonly #requests: KioskRequestWorker<"receiptEmail", "receiptEmailResult">;
  readonly #rate: KioskRate;

  constructor(private readonly deps: ReceiptMailDeps) {
    this.#rate = new KioskRate(deps.perKioskPerHour);
    this.#requests = new KioskRequestWorker(
      {
        what: "emailed receipt",
        request: "receiptEmail",
        answer: "receiptEmailResult",
        clientPrefix: "central-receipts",
        // A receipt's request is a few kilobytes; anything bigger is not one.
        maxBytes: 16 * 1024,
        unanswered: "the kiosk asks again",
      },
      deps,
      (deviceId, request) => this.send(deviceId, request),
    );
  }

  start(): void {
    this.#requests.start();
  }

  async stop(): Promise<void> {
    await this.#requests.stop();
    this.deps.mailer?.close();
  }

  /** Sends one kiosk's receipt; the answer for the kiosk, never a throw. */
  async send(deviceId: string, request: ReceiptEmailMessage): Promise<ReceiptEmailResultMessage> {
    const { requestId } = request;
    const refuse = (code: string, message: string): ReceiptEmailResultMessage => {
      this.deps.logger.warn(`emailed receipt of ${deviceId} refused: [${code}] ${message}`, {
        recordId: request.receipt.recordId,
      });
      return { requestId, outcome: "refused", code, message };
    };
    const { mailer } = this.deps;
    if (!mailer)
      return refuse(ErrorCodes.MAIL_NOT_CONFIGURED, "Central has no mail server set up to send receipts.");
    if (!this.#rate.take(deviceId, this.deps.now().getTime()))
      return refuse(
        ErrorCodes.RECEIPT_EMAIL_REFUSED,
        "This kiosk has asked for too many emailed receipts this hour; try again later.",
      );
    try {
      await mailer.send(receiptEmail(request.to, request.receipt));
      this.deps.logger.info(`receipt emailed for ${deviceId}`, { recordId: request.receipt.recordId });
      return { requestId, outcome: "sent" };
    } catch (error) {
      const code = isKioskError(error) ? error.code : ErrorCodes.MAIL_SEND_FAILED;
      return refuse(code, (error as Error).message.slice(0, 300));
    }
  }
}
