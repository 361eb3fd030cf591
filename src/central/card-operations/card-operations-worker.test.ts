import { describe, expect, it } from "vitest";
import { ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";
import { createMemoryLogger } from "../../core/logger.js";
import type { Sql } from "../db/central-db.js";
import { CardOperationsWorker } from "./card-operations-worker.js";
import type { ProcessorOperations } from "./processor-operations.js";

/** Central's records as the worker reads them: one completed $50.00 card payment, charge pi_paid. */
const db: Sql = {
  query: async <Row extends object>(_text: string, params?: readonly unknown[]) =>
    (params?.[0] === "pi_paid"
      ? [{ id: "rec-1", device_id: "kiosk-1", amount_minor: "5000", currency: "USD" }]
      : []) as unknown as Row[],
};

function worker(processor: ProcessorOperations) {
  return new CardOperationsWorker({
    db,
    processor,
    endpoint: { url: "mqtt://127.0.0.1:9", protocolVersion: 5, keepaliveSeconds: 30 },
    shareGroup: null,
    backoff: { initialDelayMs: 1000, maxDelayMs: 1000 },
    logger: createMemoryLogger(),
    newId: () => "0190b7a4-0000-7000-8000-000000000001",
    now: () => new Date("2026-12-02T10:00:00Z"),
  });
}

const operation = (chargeId: string, amountMinor: number | null) => ({
  operationId: "0190b7a4-0000-7000-8000-0000000000aa",
  kind: "refund" as const,
  idempotencyKey: "refund:r9",
  chargeId,
  amountMinor,
  currency: "USD",
  recordId: "r9",
});

describe("central's card operations", () => {
  it("refunds a charge it holds, with the kiosk's key as the processor's idempotency key", async () => {
    const asked: unknown[] = [];
    const result = await worker({
      refund: async (request) => {
        asked.push(request);
        return { refundId: "re_1", amountMinor: 2_000, currency: "USD" };
      },
    }).perform("kiosk-1", operation("pi_paid", 2_000));
    expect(result).toEqual({
      operationId: operation("", null).operationId,
      outcome: "done",
      refundId: "re_1",
      amountMinor: 2_000,
      currency: "USD",
    });
    expect(asked).toEqual([
      {
        idempotencyKey: "refund:r9",
        chargeId: "pi_paid",
        amountMinor: 2_000,
        metadata: { spectra_key: "refund:r9", device_id: "kiosk-1", record_id: "r9", kind: "refund" },
      },
    ]);
  });

  it("refuses a charge it does not hold, or more than was paid, and asks the processor nothing", async () => {
    const asked: unknown[] = [];
    const never = worker({
      refund: async (request) => {
        asked.push(request);
        return { refundId: "re_x", amountMinor: 1, currency: "USD" };
      },
    });
    expect(await never.perform("kiosk-1", operation("pi_unknown", 100))).toMatchObject({
      outcome: "refused",
      code: ErrorCodes.CENTRAL_CARD_OPERATION_REFUSED,
    });
    expect(await never.perform("kiosk-1", operation("pi_paid", 5_001))).toMatchObject({
      outcome: "refused",
      code: ErrorCodes.REFUND_EXCEEDS_CARD_PAID,
    });
    // Another kiosk's account asking to refund kiosk-1's payment.
    expect(await never.perform("kiosk-2", operation("pi_paid", 100))).toMatchObject({
      outcome: "refused",
      code: ErrorCodes.CENTRAL_CARD_OPERATION_REFUSED,
      message: expect.stringMatching(/another kiosk/),
    });
    expect(asked).toEqual([]);
  });

  it("passes on the processor's refusal, and says unknown when the processor did not answer", async () => {
    const refused = worker({
      refund: async () => {
        throw new KioskError(
          ErrorCodes.PROCESSOR_REJECTED_REQUEST,
          "Stripe refused the refund (charge_already_refunded).",
        );
      },
    });
    expect(await refused.perform("kiosk-1", operation("pi_paid", null))).toMatchObject({
      outcome: "refused",
      code: ErrorCodes.PROCESSOR_REJECTED_REQUEST,
    });
    const silent = worker({
      refund: async () => {
        throw new KioskError(ErrorCodes.PROCESSOR_OUTCOME_UNKNOWN, "Stripe did not answer in time.");
      },
    });
    expect(await silent.perform("kiosk-1", operation("pi_paid", 100))).toMatchObject({
      outcome: "unknown",
      code: ErrorCodes.PROCESSOR_OUTCOME_UNKNOWN,
    });
  });
});
