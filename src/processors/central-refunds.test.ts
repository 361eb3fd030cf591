import { describe, expect, it } from "vitest";
import { expectKioskErrorAsync } from "../../test/helpers/kiosk-error.js";
import { ErrorCodes } from "../core/error-codes.js";
import type { CardProcessor } from "../payments/card-processor.js";
import type { CardOperation, CardOperationResult } from "../payments/central-card-operations.js";
import { CentralOperationsLine, refundsThroughCentral } from "./central-refunds.js";
import { manualProcessor } from "./manual/manual-processor.js";

const request = {
  idempotencyKey: "refund:r1",
  chargeId: "pi_1",
  amount: { minor: 700, currency: "USD" },
  reference: { recordId: "r1", deviceId: "kiosk-1" },
};

function central(answer: CardOperationResult) {
  const asked: CardOperation[] = [];
  return {
    asked,
    request: async (operation: CardOperation) => {
      asked.push(operation);
      return answer;
    },
  };
}

describe("refunds through central", () => {
  const processor: CardProcessor = manualProcessor();

  it("asks central for refunds and voids, and leaves sales to the processor", async () => {
    const line = central({ outcome: "done", refundId: "re_9", amount: { minor: 700, currency: "USD" } });
    const wrapped = refundsThroughCentral(processor, line);
    expect(await wrapped.refund(request)).toEqual({
      refundId: "re_9",
      chargeId: "pi_1",
      amount: { minor: 700, currency: "USD" },
    });
    await wrapped.void({ idempotencyKey: "void:r2", chargeId: "pi_2" });
    expect(line.asked).toEqual([
      {
        kind: "refund",
        idempotencyKey: "refund:r1",
        chargeId: "pi_1",
        amount: { minor: 700, currency: "USD" },
        recordId: "r1",
      },
      { kind: "void", idempotencyKey: "void:r2", chargeId: "pi_2", amount: null, recordId: null },
    ]);
    expect(wrapped.sale).toBe(processor.sale);
  });

  it("throws central's refusal with its code, or a rejection for a code this kiosk does not know", async () => {
    await expectKioskErrorAsync(
      () =>
        refundsThroughCentral(
          processor,
          central({ outcome: "refused", code: "CENTRAL_CARD_OPERATION_REFUSED", message: "no" }),
        ).refund(request),
      ErrorCodes.CENTRAL_CARD_OPERATION_REFUSED,
    );
    await expectKioskErrorAsync(
      () =>
        refundsThroughCentral(
          processor,
          central({ outcome: "refused", code: "SOMETHING_NEWER", message: "no" }),
        ).refund(request),
      ErrorCodes.PROCESSOR_REJECTED_REQUEST,
    );
  });

  it("routes only the refunds `when` picks (large ones, say)", async () => {
    const line = central({ outcome: "done", refundId: "re_1", amount: { minor: 700, currency: "USD" } });
    const wrapped = refundsThroughCentral(processor, line, (each) => each.amount.minor > 10_000);
    await expectKioskErrorAsync(() => wrapped.refund(request), ErrorCodes.PROCESSOR_NOT_INTEGRATED);
    expect(line.asked).toEqual([]);
  });

  it("is unreachable until the sync agent is attached", async () => {
    const line = new CentralOperationsLine();
    await expectKioskErrorAsync(
      () => refundsThroughCentral(processor, line).refund(request),
      ErrorCodes.PROCESSOR_UNAVAILABLE,
    );
  });
});
