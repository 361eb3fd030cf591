import { ErrorCodes } from "../../core/error-codes.js";
import { isKioskError } from "../../core/kiosk-error.js";
import type { Logger } from "../../core/logger.js";
import type { BackoffPolicy } from "../../sync/mqtt/backoff.js";
import { type BrokerEndpoint, MqttConnection } from "../../sync/mqtt/mqtt-connection.js";
import { decodeMessage, encodeMessage } from "../../sync/protocol/codec.js";
import type { CardOperationMessage, CardOperationResultMessage } from "../../sync/protocol/messages.js";
import { TOPIC_ROOT } from "../../sync/protocol/topics.js";
import type { Sql } from "../db/central-db.js";
import { chargeOnRecord } from "./charge-on-record.js";
import type { ProcessorOperations } from "./processor-operations.js";

/** A card operation's message is small; anything bigger is not one. */
const MAX_BYTES = 4 * 1024;

export interface CardOperationsDeps {
  readonly db: Sql;
  readonly processor: ProcessorOperations;
  readonly endpoint: BrokerEndpoint;
  /** null subscribes plainly (the embedded broker has no shared subscriptions). */
  readonly shareGroup: string | null;
  readonly backoff: BackoffPolicy;
  readonly logger: Logger;
  readonly newId: () => string;
  readonly now: () => Date;
}

/** The uplink of card operations, from every kiosk. */
export function cardOperationsFilter(shareGroup: string | null): string {
  const filter = `${TOPIC_ROOT}/+/up/cards/operations`;
  return shareGroup === null ? filter : `$share/${shareGroup}/${filter}`;
}

/**
 * Central's card operations: a kiosk asks for a refund or a void its own key may not make; central
 * does it with the studio's full key only for a completed card payment it holds, never beyond that
 * payment, and answers the kiosk. The kiosk's intent key goes to the processor as the idempotency
 * key, so a request sent twice (a lost answer, two workers) refunds once.
 */
export class CardOperationsWorker {
  readonly #connection: MqttConnection;

  constructor(private readonly deps: CardOperationsDeps) {
    this.#connection = new MqttConnection({
      endpoint: deps.endpoint,
      clientId: `central-card-ops-${deps.newId().slice(-12)}`,
      clean: true,
      backoff: deps.backoff,
      logger: deps.logger.child("mqtt"),
      onConnected: ({ client }) => {
        client.subscribe(cardOperationsFilter(deps.shareGroup), { qos: 1 }, (error) => {
          if (error) deps.logger.error(`cannot subscribe to card operations: ${error.message}`);
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

  stop(): Promise<void> {
    return this.#connection.stop();
  }

  async #receive(topic: string, payload: Buffer): Promise<void> {
    const decoded = decodeMessage(topic, payload, { direction: "up", maxBytes: MAX_BYTES });
    if (!decoded.ok || decoded.value.kind !== "cardOperation") {
      if (!decoded.ok)
        this.deps.logger.warn(
          `[${decoded.rejection.code}] card operation refused: ${decoded.rejection.reason}`,
        );
      return;
    }
    const { deviceId, payload: operation } = decoded.value;
    const result = await this.perform(deviceId, operation);
    const message = encodeMessage("cardOperationResult", deviceId, result, {
      messageId: this.deps.newId(),
      sentAt: this.deps.now().toISOString(),
    });
    const session = this.#connection.session;
    if (!session) {
      this.deps.logger.warn(
        `the answer to ${deviceId}'s card operation was not sent (broker away); it will look it up`,
      );
      return;
    }
    await session.client.publishAsync(message.topic, message.body, {
      qos: message.qos,
      retain: message.retain,
    });
  }

  /** Checks the operation against central's records and has the processor do it. */
  async perform(deviceId: string, operation: CardOperationMessage): Promise<CardOperationResultMessage> {
    const { operationId } = operation;
    const refuse = (code: string, message: string): CardOperationResultMessage => {
      this.deps.logger.warn(`card operation of ${deviceId} refused: [${code}] ${message}`, {
        chargeId: operation.chargeId,
      });
      return { operationId, outcome: "refused", code, message };
    };
    let charge: Awaited<ReturnType<typeof chargeOnRecord>>;
    try {
      charge = await chargeOnRecord(this.deps.db, operation.chargeId);
    } catch (error) {
      return {
        operationId,
        outcome: "unknown",
        code: ErrorCodes.CENTRAL_DB_UNAVAILABLE,
        message: `Central's database: ${(error as Error).message}`.slice(0, 300),
      };
    }
    if (!charge)
      return refuse(
        ErrorCodes.CENTRAL_CARD_OPERATION_REFUSED,
        "Central has no completed card payment for this charge; nothing was refunded.",
      );
    // A kiosk refunds only its own payments: another kiosk's account cannot send money back.
    if (charge.deviceId !== deviceId)
      return refuse(
        ErrorCodes.CENTRAL_CARD_OPERATION_REFUSED,
        "This card payment was taken by another kiosk; nothing was refunded.",
      );
    if (operation.amountMinor !== null && operation.amountMinor > charge.amountMinor)
      return refuse(
        ErrorCodes.REFUND_EXCEEDS_CARD_PAID,
        "The refund is larger than the card payment; nothing was refunded.",
      );
    if (operation.currency !== null && operation.currency !== charge.currency)
      return refuse(
        ErrorCodes.MONEY_CURRENCY_MISMATCH,
        "The refund's currency is not the payment's; nothing was refunded.",
      );
    try {
      const refund = await this.deps.processor.refund({
        idempotencyKey: operation.idempotencyKey,
        chargeId: operation.chargeId,
        amountMinor: operation.amountMinor,
        metadata: {
          spectra_key: operation.idempotencyKey,
          device_id: deviceId,
          ...(operation.recordId ? { record_id: operation.recordId } : {}),
          kind: operation.kind,
        },
      });
      this.deps.logger.info(`${operation.kind} of ${operation.chargeId} for ${deviceId}: ${refund.refundId}`);
      return { operationId, outcome: "done", ...refund };
    } catch (error) {
      if (
        isKioskError(error) &&
        error.code !== ErrorCodes.PROCESSOR_OUTCOME_UNKNOWN &&
        error.code !== ErrorCodes.PROCESSOR_UNAVAILABLE
      )
        return refuse(error.code, error.detail.slice(0, 300));
      const code = isKioskError(error) ? error.code : ErrorCodes.PROCESSOR_OUTCOME_UNKNOWN;
      return { operationId, outcome: "unknown", code, message: (error as Error).message.slice(0, 300) };
    }
  }
}
