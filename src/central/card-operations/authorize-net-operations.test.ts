import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { swipedCard } from "../../../test/helpers/authorize-net.js";
import { ErrorCodes } from "../../core/error-codes.js";
import { createMemoryLogger } from "../../core/logger.js";
import type { CardProcessor } from "../../payments/card-processor.js";
import { connectAuthorizeNet } from "../../processors/authorize-net/connect-authorize-net.js";
import { invoiceReference } from "../../processors/authorize-net/invoice-reference.js";
import {
  type RunningAuthorizeNetSimulator,
  startAuthorizeNetSimulator,
} from "../../processors/authorize-net-simulator/authorize-net-simulator.js";
import { authorizeNetOperations } from "./authorize-net-operations.js";

describe("central's Authorize.Net refunds", () => {
  let simulator: RunningAuthorizeNetSimulator;
  let processor: CardProcessor;
  beforeAll(async () => {
    simulator = await startAuthorizeNetSimulator();
    processor = await connectAuthorizeNet({
      endpoint: simulator.endpoint,
      hostedFormUrl: simulator.hostedFormUrl,
      apiLoginId: simulator.apiLoginId,
      transactionKey: simulator.transactionKey,
      ca: simulator.ca,
      timeoutMs: 5_000,
      deviceType: 3,
      duplicateWindowSeconds: 28_800,
      currency: "USD",
      logger: createMemoryLogger(),
    });
  });
  afterAll(() => simulator.close());

  it("refunds a settled charge to its own card under the kiosk's key, and makes no voids", async () => {
    const charge = await processor.sale({
      idempotencyKey: "sale:r1",
      amount: { minor: 9_000, currency: "USD" },
      source: swipedCard("4111111111111111"),
      reference: { recordId: "r1", deviceId: "kiosk-1" },
    });
    simulator.settle();
    const operations = authorizeNetOperations(processor, "USD");
    const metadata = { spectra_key: "refund:r2", device_id: "kiosk-1", record_id: "r2", kind: "refund" };
    const refund = await operations.refund({
      idempotencyKey: "refund:r2",
      chargeId: charge.chargeId,
      amountMinor: 6_000,
      metadata,
    });
    expect(refund).toMatchObject({ amountMinor: 6_000, currency: "USD" });
    expect(simulator.books.transactions.get(refund.refundId)).toMatchObject({
      type: "refundTransaction",
      refTransId: charge.chargeId,
      invoiceNumber: invoiceReference("refund:r2"),
      card: { last4: "1111" },
    });
    // Beyond what is left of the charge, Authorize.Net refuses it (reason 55): a coded refusal.
    await expect(
      operations.refund({
        idempotencyKey: "refund:r3",
        chargeId: charge.chargeId,
        amountMinor: 3_001,
        metadata,
      }),
    ).rejects.toMatchObject({ code: ErrorCodes.PROCESSOR_REJECTED_REQUEST });
    await expect(
      operations.refund({
        idempotencyKey: "void:r1",
        chargeId: charge.chargeId,
        amountMinor: null,
        metadata,
      }),
    ).rejects.toMatchObject({ code: ErrorCodes.CENTRAL_CARD_OPERATION_REFUSED });
  });
});
