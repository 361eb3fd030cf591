import { afterEach, describe, expect, it } from "vitest";
import { collectDuePayments, collectionProblems, collectNow } from "../../src/checkout/cards/due-payments.js";
import { reconcileIntents } from "../../src/checkout/cards/reconciler.js";
import { closeForAnotherCard } from "../../src/checkout/follow-up.js";
import type { CardProcessor } from "../../src/payments/card-processor.js";
import { REASON_CODE_CARD } from "../fixtures/authorize-net-test-cards.js";
import {
  CARDS,
  type CardRig,
  cardDraft,
  cardRig,
  referenceOf,
  simCharges,
  swipe,
} from "../helpers/card-payments.js";
import { STAFF } from "../helpers/payments.js";
import { ScriptedProcessor } from "../helpers/scripted-processor.js";

let rig: CardRig;
afterEach(() => rig.dispose());

const POLICY = { maxAttempts: 2, retryIntervalHours: 24 };
const run = (processor: CardProcessor = rig.processor) =>
  collectDuePayments({
    store: rig.store,
    processor,
    policy: POLICY,
    clock: rig.store.clock,
    timeZone: "America/Denver",
    logger: rig.logger,
  });

async function saveCard(number: string) {
  const saved = await rig.processor.saveCard({
    idempotencyKey: `save-${number}`,
    source: swipe(number),
    clientId: "client-1",
  });
  rig.store.savedCards.save("client-1", saved, rig.store.clock.now().toISOString());
  return saved;
}

const futureCard = (amountMinor: number, dueDate: string) =>
  rig.store.ledger.record(
    cardDraft(amountMinor, {
      futurePayment: true,
      dueDate,
      methodFields: { type: "card", entryMode: "keyed" },
    }),
    STAFF,
  );

describe("saved cards and payment plans", () => {
  it("keeps the processor's token per client, with brand, last 4 and expiry only", async () => {
    rig = await cardRig();
    await saveCard(CARDS.approve);
    expect(rig.store.savedCards.forClient("client-1")).toEqual([
      expect.objectContaining({
        clientId: "client-1",
        brand: "Visa",
        last4: "1111",
        expiry: { month: 12, year: 2030 },
      }),
    ]);
    expect(JSON.stringify(rig.store.db.prepare("SELECT * FROM saved_cards").all())).not.toContain(
      CARDS.approve,
    );
  });

  it("charges future payments that fall due to the saved card, as a batch, and leaves the others", async () => {
    rig = await cardRig();
    await saveCard(CARDS.approve);
    const first = futureCard(5_000, "2026-12-01");
    const second = futureCard(5_000, "2026-12-01");
    const later = futureCard(5_000, "2027-01-15");
    expect(await run()).toEqual({ collected: 0, failed: 0, skipped: 0 }); // nothing due yet

    rig.store.clock.set("2026-12-01T17:00:00Z");
    expect(await run()).toEqual({ collected: 2, failed: 0, skipped: 0 });
    for (const id of [first.id, second.id]) {
      expect(rig.store.records.get(id)).toMatchObject({
        status: "completed",
        paymentDate: "2026-12-01",
        method: { type: "card", entryMode: "keyed" },
      });
    }
    expect(rig.store.records.get(later.id)?.status).toBe("scheduled");
    // The saved card's verification ($0.01, voided) and the two collections, each under its key.
    expect(
      simCharges(rig.simulator)
        .filter((charge) => charge.status !== "voided")
        .map((charge) => charge.invoiceNumber)
        .sort(),
    ).toEqual([referenceOf(`collect:${first.id}:1`), referenceOf(`collect:${second.id}:1`)].sort());
    expect(await run()).toEqual({ collected: 0, failed: 0, skipped: 0 }); // never charged twice
  });

  it("retries a declined collection after the interval, then lists it for staff", async () => {
    rig = await cardRig();
    // The sandbox's reason-code card: saved (its $0.01 verification is approved), then $2.00 is reason 2.
    await saveCard(REASON_CODE_CARD);
    const plan = futureCard(200, "2026-12-01");
    rig.store.clock.set("2026-12-01T17:00:00Z");
    expect(await run()).toEqual({ collected: 0, failed: 1, skipped: 0 });
    expect(rig.store.records.get(plan.id)).toMatchObject({ status: "scheduled", paymentDate: null });
    expect(await run()).toEqual({ collected: 0, failed: 0, skipped: 1 }); // waits for the interval

    rig.store.clock.advance(25 * 3_600_000);
    expect(await run()).toEqual({ collected: 0, failed: 1, skipped: 0 });
    expect(await run()).toMatchObject({ skipped: 1 }); // out of tries
    expect(collectionProblems(rig.store, "2026-12-02")).toEqual([
      expect.objectContaining({
        attempts: 2,
        lastOutcome: "PROCESSOR_DECLINED",
        nextTryAt: null,
        record: expect.objectContaining({ id: plan.id }),
      }),
    ]);
    expect(simCharges(rig.simulator).filter((charge) => charge.status !== "voided")).toHaveLength(0);
  });

  it("staff retry the saved card after the tries ran out: one more try, with its own key", async () => {
    rig = await cardRig();
    await saveCard(REASON_CODE_CARD);
    const plan = futureCard(200, "2026-12-01");
    rig.store.clock.set("2026-12-01T17:00:00Z");
    const deps = {
      store: rig.store,
      processor: rig.processor,
      policy: { maxAttempts: 1, retryIntervalHours: 24 },
      clock: rig.store.clock,
      timeZone: "America/Denver",
      logger: rig.logger,
    };
    expect(await collectDuePayments(deps)).toEqual({ collected: 0, failed: 1, skipped: 0 });
    expect(await collectDuePayments(deps)).toMatchObject({ skipped: 1 }); // out of tries
    // Still declined when staff retry at once: noted as the second try.
    expect(await collectNow(deps, plan.id)).toBe("failed");
    expect(rig.store.collections.forRecord(plan.id)).toHaveLength(2);
    // The client put money on the card; staff retry again.
    await saveCard(CARDS.approve);
    expect(await collectNow(deps, plan.id)).toBe("collected");
    expect(rig.store.records.get(plan.id)).toMatchObject({ status: "completed", paymentDate: "2026-12-01" });
    expect(
      simCharges(rig.simulator)
        .filter((charge) => charge.status !== "voided")
        .map((charge) => [charge.invoiceNumber, charge.amountMinor]),
    ).toEqual([[referenceOf(`collect:${plan.id}:3`), 200]]);
    // Collected: nothing more to retry.
    await expect(collectNow(deps, plan.id)).rejects.toMatchObject({ code: "PAYMENT_NOT_COLLECTABLE" });
  });

  it("notes a missing saved card as a failed try", async () => {
    rig = await cardRig();
    futureCard(1_000, "2026-12-01");
    rig.store.clock.set("2026-12-01T17:00:00Z");
    expect(await run()).toEqual({ collected: 0, failed: 1, skipped: 0 });
    expect(collectionProblems(rig.store, "2026-12-01")[0]?.lastOutcome).toBe("SAVED_CARD_MISSING");
  });

  it("counts a try whose answer was lost once it is reconciled, and gives the next try its own key", async () => {
    rig = await cardRig();
    await saveCard(REASON_CODE_CARD);
    const plan = futureCard(200, "2026-12-01");
    rig.store.clock.set("2026-12-01T17:00:00Z");
    const losing = new ScriptedProcessor(rig.processor, () => {});
    losing.calls = "lost";
    expect(await run(losing)).toEqual({ collected: 0, failed: 1, skipped: 0 });
    expect(rig.store.records.get(plan.id)?.status).toBe("authorizing");

    expect(await reconcileIntents(rig.store, rig.processor, rig.logger)).toMatchObject({ failed: 1 });
    expect(rig.store.records.get(plan.id)).toMatchObject({ status: "scheduled", paymentDate: null });
    expect(collectionProblems(rig.store, "2026-12-01")).toEqual([
      expect.objectContaining({ attempts: 1, lastOutcome: "CARD_PAYMENT_INTERRUPTED" }),
    ]);

    rig.store.clock.advance(3_600_000);
    await saveCard(CARDS.approve);
    expect(await run()).toEqual({ collected: 1, failed: 0, skipped: 0 });
    expect(rig.store.records.get(plan.id)?.status).toBe("completed");
    expect(
      simCharges(rig.simulator)
        .filter((charge) => charge.status !== "voided")
        .map((charge) => charge.invoiceNumber),
    ).toEqual([referenceOf(`collect:${plan.id}:2`)]);
  });

  it("a collection closed to charge another card is never charged by the collector or a retry", async () => {
    rig = await cardRig();
    await saveCard(REASON_CODE_CARD);
    const plan = futureCard(200, "2026-12-01");
    rig.store.clock.set("2026-12-01T17:00:00Z");
    expect(await run()).toEqual({ collected: 0, failed: 1, skipped: 0 });
    const deps = { tables: rig.store, clock: rig.store.clock };
    const closed = closeForAnotherCard(deps, plan.id, { id: "csh", role: "cashier" });
    expect(closed).toMatchObject({
      status: "voided",
      revision: plan.revision + 3,
      note: "Closed to charge another card",
    });
    // The client's card works now; the interval has passed: still nothing is charged for the record.
    await saveCard(CARDS.approve);
    rig.store.clock.advance(25 * 3_600_000);
    expect(await run()).toEqual({ collected: 0, failed: 0, skipped: 0 });
    await expect(
      collectNow(
        {
          store: rig.store,
          processor: rig.processor,
          policy: POLICY,
          clock: rig.store.clock,
          timeZone: "America/Denver",
          logger: rig.logger,
        },
        plan.id,
      ),
    ).rejects.toMatchObject({ code: "PAYMENT_NOT_COLLECTABLE" });
    expect(() => closeForAnotherCard(deps, plan.id, { id: "csh", role: "cashier" })).toThrow(
      expect.objectContaining({ code: "PAYMENT_NOT_COLLECTABLE" }),
    );
    expect(simCharges(rig.simulator).filter((charge) => charge.status !== "voided")).toHaveLength(0);
  });

  it("refuses to close a collection while it is being charged (its intent open)", async () => {
    rig = await cardRig();
    await saveCard(REASON_CODE_CARD);
    const plan = futureCard(200, "2026-12-01");
    rig.store.clock.set("2026-12-01T17:00:00Z");
    const losing = new ScriptedProcessor(rig.processor, () => {});
    losing.calls = "lost";
    await run(losing);
    expect(rig.store.records.get(plan.id)?.status).toBe("authorizing");
    expect(() =>
      closeForAnotherCard({ tables: rig.store, clock: rig.store.clock }, plan.id, {
        id: "csh",
        role: "cashier",
      }),
    ).toThrow(expect.objectContaining({ code: "PAYMENT_NOT_COLLECTABLE" }));
  });
});
