import { ErrorCodes } from "../../core/error-codes.js";
import { isKioskError } from "../../core/kiosk-error.js";
import type { Logger } from "../../core/logger.js";
import type { BackoffPolicy } from "../../sync/mqtt/backoff.js";
import { type BrokerEndpoint, MqttConnection } from "../../sync/mqtt/mqtt-connection.js";
import { decodeMessage, encodeMessage } from "../../sync/protocol/codec.js";
import type { ReceiptEmailMessage, ReceiptEmailResultMessage } from "../../sync/protocol/receipt-messages.js";
import { TOPIC_ROOT } from "../../sync/protocol/topics.js";
import { KioskRate } from "./kiosk-rate.js";
import type { Mailer } from "./mailer.js";
import { receiptEmail } from "./receipt-email.js";

/** A receipt's request is a few kilobytes; anything bigger is not one. */
const MAX_BYTES = 16 * 1024;

export interface ReceiptMailDeps {
  /** null: central has no mail section, and every request is refused with MAIL_NOT_CONFIGURED. */
  readonly mailer: Mailer | null;
  readonly perKioskPerHour: number;
  readonly endpoint: BrokerEndpoint;
  /** null subscribes plainly (the embedded broker has no shared subscriptions). */
  readonly shareGroup: string | null;
  readonly backoff: BackoffPolicy;
  readonly logger: Logger;
  readonly newId: () => string;
  readonly now: () => Date;
}

/** The uplink of emailed receipts, from every kiosk. */
export function receiptEmailFilter(shareGroup: string | null): string {
  const filter = `${TOPIC_ROOT}/+/up/receipts/email`;
  return shareGroup === null ? filter : `$share/${shareGroup}/${filter}`;
}

/**
 * Central's emailed receipts: a kiosk sends a receipt it composed (bounded by the protocol's schema,
 * the address checked again) and central sends it through the studio's SMTP server, then answers the
 * kiosk under the request's id. A kiosk is held to an hourly allowance. Whatever arrives, the worker
 * answers or drops it with a log line; nothing a kiosk sends stops it.
 */
export class ReceiptMailWorker {
  readonly #connection: MqttConnection;
  readonly #rate: KioskRate;

  constructor(private readonly deps: ReceiptMailDeps) {
    this.#rate = new KioskRate(deps.perKioskPerHour);
    this.#connection = new MqttConnection({
      endpoint: deps.endpoint,
      clientId: `central-receipts-${deps.newId().slice(-12)}`,
      clean: true,
      backoff: deps.backoff,
      logger: deps.logger.child("mqtt"),
      onConnected: ({ client }) => {
        client.subscribe(receiptEmailFilter(deps.shareGroup), { qos: 1 }, (error) => {
          if (error) deps.logger.error(`cannot subscribe to emailed receipts: ${error.message}`);
        });
      },
      onDisconnected: () => {},
      onMessage: (topic, payload) => {
        void this.#receive(topic, payload);
      },
    });
  }

  start(): void {
    this.#connection.start();
  }

  async stop(): Promise<void> {
    await this.#connection.stop();
    this.deps.mailer?.close();
  }

  async #receive(topic: string, payload: Buffer): Promise<void> {
    const decoded = decodeMessage(topic, payload, { direction: "up", maxBytes: MAX_BYTES });
    if (!decoded.ok || decoded.value.kind !== "receiptEmail") {
      if (!decoded.ok)
        this.deps.logger.warn(
          `[${decoded.rejection.code}] emailed receipt refused: ${decoded.rejection.reason}`,
        );
      return;
    }
    const { deviceId, payload: request } = decoded.value;
    const result = await this.send(deviceId, request);
    const session = this.#connection.session;
    if (!session) {
      this.deps.logger.warn(`the answer to ${deviceId}'s emailed receipt was not sent (broker away)`);
      return;
    }
    const message = encodeMessage("receiptEmailResult", deviceId, result, {
      messageId: this.deps.newId(),
      sentAt: this.deps.now().toISOString(),
    });
    await session.client
      .publishAsync(message.topic, message.body, { qos: message.qos, retain: message.retain })
      .catch((error: Error) => this.deps.logger.warn(`answer to ${deviceId} not sent: ${error.message}`));
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
