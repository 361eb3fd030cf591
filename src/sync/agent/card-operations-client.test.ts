import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { expectKioskErrorAsync } from "../../../test/helpers/kiosk-error.js";
import { ErrorCodes } from "../../core/error-codes.js";
import type { CardOperationMessage, CardOperationResultMessage } from "../protocol/messages.js";
import { CardOperationsClient } from "./card-operations-client.js";

/** The agent's side as the client sees it: what was asked, and central's answers fed back. */
class FakeLine extends EventEmitter<{ cardOperationResult: [CardOperationResultMessage] }> {
  readonly asked: CardOperationMessage[] = [];
  connected = true;
  askCentral(operation: CardOperationMessage): boolean {
    if (!this.connected) return false;
    this.asked.push(operation);
    return true;
  }
}

let ids = 0;
const newId = () => `0190b7a4-0000-7000-8000-${String(++ids).padStart(12, "0")}`;
const refund = {
  kind: "refund" as const,
  idempotencyKey: "refund:r1",
  chargeId: "pi_1",
  amount: { minor: 500, currency: "USD" },
  recordId: "r1",
};

describe("card operations asked of central", () => {
  it("sends the operation and takes the answer to its own id only", async () => {
    const line = new FakeLine();
    const client = new CardOperationsClient(line, { timeoutMs: 2_000, newId });
    const asking = client.request(refund);
    const [sent] = line.asked;
    expect(sent).toMatchObject({
      kind: "refund",
      idempotencyKey: "refund:r1",
      amountMinor: 500,
      currency: "USD",
    });
    line.emit("cardOperationResult", {
      operationId: newId(),
      outcome: "refused",
      code: "X",
      message: "not yours",
    });
    line.emit("cardOperationResult", {
      operationId: sent?.operationId as string,
      outcome: "done",
      refundId: "re_1",
      amountMinor: 500,
      currency: "USD",
    });
    expect(await asking).toEqual({
      outcome: "done",
      refundId: "re_1",
      amount: { minor: 500, currency: "USD" },
    });
    expect(line.listenerCount("cardOperationResult")).toBe(0);
  });

  it("says unavailable when not connected (nothing sent), and unknown when central does not answer", async () => {
    const line = new FakeLine();
    line.connected = false;
    await expectKioskErrorAsync(
      () => new CardOperationsClient(line, { timeoutMs: 2_000, newId }).request(refund),
      ErrorCodes.PROCESSOR_UNAVAILABLE,
    );
    line.connected = true;
    await expectKioskErrorAsync(
      () => new CardOperationsClient(line, { timeoutMs: 50, newId }).request(refund),
      ErrorCodes.PROCESSOR_OUTCOME_UNKNOWN,
    );
    expect(line.listenerCount("cardOperationResult")).toBe(0);
  });
});
