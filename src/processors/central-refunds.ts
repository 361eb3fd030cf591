import { type ErrorCode, ErrorCodes } from "../core/error-codes.js";
import { KioskError } from "../core/kiosk-error.js";
import type { CardProcessor, RefundRequest } from "../payments/card-processor.js";
import type {
  CardOperation,
  CardOperationResult,
  CentralCardOperations,
} from "../payments/central-card-operations.js";

/**
 * The way to central for card operations, known only once the sync agent runs (it starts after the
 * card service). Until then, and on a kiosk that does not sync, every request is refused as
 * unreachable: nothing was done.
 */
export class CentralOperationsLine implements CentralCardOperations {
  #line: CentralCardOperations | null = null;

  attach(line: CentralCardOperations | null): void {
    this.#line = line;
  }

  request(operation: CardOperation): Promise<CardOperationResult> {
    if (!this.#line) {
      return Promise.reject(
        new KioskError(
          ErrorCodes.PROCESSOR_UNAVAILABLE,
          "This kiosk cannot reach central, which makes its refunds. Nothing was refunded.",
        ),
      );
    }
    return this.#line.request(operation);
  }
}

const KNOWN_CODES = new Set<string>(Object.values(ErrorCodes));

function refusal(result: Extract<CardOperationResult, { outcome: "refused" }>): KioskError {
  const code = KNOWN_CODES.has(result.code)
    ? (result.code as ErrorCode)
    : ErrorCodes.PROCESSOR_REJECTED_REQUEST;
  return new KioskError(code, result.message, { by: "central", centralCode: result.code });
}

/**
 * A processor whose refunds and voids central makes (`when` chooses which refunds; all by default):
 * the kiosk's key can take payments only, so money goes back to a card only through central, which
 * checks the charge against its records. Looking a refund up stays the kiosk's (reading moves no
 * money). Generic: any processor can be wrapped so.
 */
export function refundsThroughCentral(
  processor: CardProcessor,
  central: CentralCardOperations,
  when: (request: RefundRequest) => boolean = () => true,
): CardProcessor {
  return {
    ...processor,
    async refund(request) {
      if (!when(request)) return processor.refund(request);
      const result = await central.request({
        kind: "refund",
        idempotencyKey: request.idempotencyKey,
        chargeId: request.chargeId,
        amount: request.amount,
        recordId: request.reference.recordId,
      });
      if (result.outcome === "refused") throw refusal(result);
      return { refundId: result.refundId, chargeId: request.chargeId, amount: result.amount };
    },
    async void(request) {
      const result = await central.request({
        kind: "void",
        idempotencyKey: request.idempotencyKey,
        chargeId: request.chargeId,
        amount: null,
        recordId: null,
      });
      if (result.outcome === "refused") throw refusal(result);
    },
  };
}
