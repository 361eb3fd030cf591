import { ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";
import type {
  CardOperation,
  CardOperationResult,
  CentralCardOperations,
} from "../../payments/central-card-operations.js";
import type { CardOperationMessage, CardOperationResultMessage } from "../protocol/messages.js";

/** The part of the sync agent card operations travel through. */
export interface CardOperationLine {
  askCentral(operation: CardOperationMessage): boolean;
  on(event: "cardOperationResult", listener: (result: CardOperationResultMessage) => void): unknown;
  off(event: "cardOperationResult", listener: (result: CardOperationResultMessage) => void): unknown;
}

/**
 * Card operations asked of central over MQTT: each request has its own id and waits for its own
 * answer. Not connected: PROCESSOR_UNAVAILABLE (nothing was sent). No answer within `timeoutMs`:
 * PROCESSOR_OUTCOME_UNKNOWN — central may have done it; the refund is then looked up by its key.
 */
export class CardOperationsClient implements CentralCardOperations {
  constructor(
    private readonly line: CardOperationLine,
    private readonly options: { readonly timeoutMs: number; readonly newId: () => string },
  ) {}

  request(operation: CardOperation): Promise<CardOperationResult> {
    const operationId = this.options.newId();
    return new Promise<CardOperationResult>((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        this.line.off("cardOperationResult", onResult);
      };
      const onResult = (result: CardOperationResultMessage): void => {
        if (result.operationId !== operationId) return;
        done();
        if (result.outcome === "done") {
          resolve({
            outcome: "done",
            refundId: result.refundId,
            amount: { minor: result.amountMinor, currency: result.currency },
          });
        } else if (result.outcome === "refused") {
          resolve({ outcome: "refused", code: result.code, message: result.message });
        } else {
          reject(
            new KioskError(ErrorCodes.PROCESSOR_OUTCOME_UNKNOWN, `Central could not tell: ${result.message}`),
          );
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(
          new KioskError(
            ErrorCodes.PROCESSOR_OUTCOME_UNKNOWN,
            "Central did not answer in time; the kiosk will look the refund up.",
          ),
        );
      }, this.options.timeoutMs);
      this.line.on("cardOperationResult", onResult);
      const sent = this.line.askCentral({
        operationId,
        kind: operation.kind,
        idempotencyKey: operation.idempotencyKey,
        chargeId: operation.chargeId,
        amountMinor: operation.amount?.minor ?? null,
        currency: operation.amount?.currency ?? null,
        recordId: operation.recordId,
      });
      if (!sent) {
        done();
        reject(
          new KioskError(
            ErrorCodes.PROCESSOR_UNAVAILABLE,
            "Central cannot be reached to make this refund. Nothing was refunded; try again when the kiosk is online.",
          ),
        );
      }
    });
  }
}
