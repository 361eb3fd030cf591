import { afterEach, describe, expect, it } from "vitest";
import { reconcileIntents } from "../../src/checkout/cards/reconciler.js";
import { intentKey } from "../../src/store/intent-book.js";
import {
  authorizeNetFor,
  CARDS,
  type CardRig,
  cardDraft,
  cardRig,
  simCharges,
  swipe,
  UNREACHABLE_ENDPOINT,
} from "../helpers/card-payments.js";
import { STAFF } from "../helpers/payments.js";

let rig: CardRig;
afterEach(() => rig.dispose());

describe("reconciling intents left open by a crash", () => {
  it("completes an intent the processor charged, and fails one it never saw", async () => {
    rig = await cardRig();
    // Two payments recorded as authorizing, as if the kiosk died around the processor call.
    const charged = rig.store.ledger.record(
      cardDraft(4_000, {
        methodFields: { type: "card", entryMode: "swiped", maskedPan: "411111******1111" },
      }),
      STAFF,
    );
    const lost = rig.store.ledger.record(
      cardDraft(1_000, {
        methodFields: { type: "card", entryMode: "swiped", maskedPan: "411111******1111" },
      }),
      STAFF,
    );
    await rig.processor.sale({
      idempotencyKey: intentKey("sale", charged.id),
      amount: charged.amount,
      source: swipe(CARDS.approve),
      reference: { recordId: charged.id, deviceId: charged.deviceId },
    });

    expect(await reconcileIntents(rig.store, rig.processor, rig.logger)).toEqual({
      completed: 1,
      failed: 1,
      voidsSent: 0,
      stillOpen: 0,
    });
    expect(rig.store.records.get(charged.id)).toMatchObject({ status: "completed" });
    expect(rig.store.records.get(lost.id)).toMatchObject({
      status: "declined",
      declineCode: "CARD_PAYMENT_INTERRUPTED",
    });
    expect(rig.store.intents.unfinished()).toEqual([]);
    expect(await reconcileIntents(rig.store, rig.processor, rig.logger)).toEqual({
      completed: 0,
      failed: 0,
      voidsSent: 0,
      stillOpen: 0,
    });
  });

  it("sends a void again with its key, and keeps intents open while the processor is away", async () => {
    rig = await cardRig();
    const paid = await rig.charger.pay(cardDraft(2_000), STAFF, swipe(CARDS.approve));
    rig.store.ledger.void(paid.record.id, { id: "mgr", role: "manager" }); // crash before the processor heard
    const away = await authorizeNetFor(rig.simulator, { endpoint: UNREACHABLE_ENDPOINT, timeoutMs: 300 });
    expect(await reconcileIntents(rig.store, away, rig.logger)).toMatchObject({ stillOpen: 1 });
    expect(await reconcileIntents(rig.store, rig.processor, rig.logger)).toMatchObject({
      voidsSent: 1,
      stillOpen: 0,
    });
    expect(simCharges(rig.simulator)[0]?.status).toBe("voided");
  });

  it("leaves an intent alone while the charger is still running it: the sale's own answer settles it", async () => {
    rig = await cardRig(); // the slow card charges, then answers after 100 ms
    const sale = rig.charger.pay(cardDraft(1_500), STAFF, swipe(CARDS.slow));
    const [intent] = rig.store.intents.unfinished();
    expect(intent && rig.charger.isRunning(intent.idempotencyKey)).toBe(true);
    expect(
      await reconcileIntents(rig.store, rig.processor, rig.logger, {
        running: (key) => rig.charger.isRunning(key),
      }),
    ).toEqual({ completed: 0, failed: 0, voidsSent: 0, stillOpen: 0 });
    expect(await sale).toMatchObject({ kind: "approved", record: { status: "completed", revision: 2 } });
    expect(simCharges(rig.simulator)).toHaveLength(1);
  });
});
