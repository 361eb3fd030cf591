import { ErrorCodes } from "../../core/error-codes.js";
import { isKioskError } from "../../core/kiosk-error.js";
import type { CardOperationMessage, CardOperationResultMessage } from "../../sync/protocol/messages.js";
import type { Sql } from "../db/central-db.js";
import { type KioskRequestLink, KioskRequestWorker } from "../kiosk-request-worker.js";
import { chargeOnRecord } from "./charge-on-record.js";
import type { ProcessorOperations } from "./processor-operations.js";

export interface CardOperationsDeps extends KioskRequestLink {
  readonly db: Sql;
  readonly processor: ProcessorOperations;
}

/**
 * Central's card operations: a kiosk asks for a refund or a void its own key may not make; central
 * does it with the studio's full key only for a completed card payment it holds, never beyond that
 * payment, and answers the kiosk. The kiosk's intent key goes to the processor as the idempotency
 * key, so a request sent twice (a lost answer, two workers) refunds once.
 */
export class CardOperationsWorker {
  readonly #requests: KioskRequestWorker<"cardOperation", "cardOperationResult">;

  constructor(private readonly deps: CardOperationsDeps) {
    this.#requests = new KioskRequestWorker(
      {
        what: "card operation",
        request: "cardOperation",
        answer: "cardOperationResult",
        clientPrefix: "central-card-ops",
        // A card operation's message is small; anything bigger is not one.
        maxBytes: 4 * 1024,
        unanswered: "it will look it up",
      },
      deps,
      (deviceId, operation) => this.perform(deviceId, operation),
    );
  }

  start(): void {
    this.#requests.start();
  }

  stop(): Promise<void> {
    return this.#requests.stop();
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
