import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { testCheckout } from "../../test/helpers/checkout.js";
import { expectKioskErrorAsync } from "../../test/helpers/kiosk-error.js";
import { cashPayment } from "../../test/helpers/payments.js";
import { type TestStore, testStore } from "../../test/helpers/store.js";
import { ErrorCodes } from "../core/error-codes.js";

const CASHIER = { id: "cash1", role: "cashier" as const };

/** A future payment promised for 2026-12-01, as staff record it on the form today (2026-11-26). */
function promise(store: TestStore, method: "cash" | "check", amountMinor = 5_000) {
  return store.ledger.record(
    cashPayment(amountMinor, {
      futurePayment: true,
      dueDate: "2026-12-01",
      ...(method === "check" ? { methodId: "check", methodFields: { type: "check", checkNumber: "1" } } : {}),
    }),
    { kind: "staff", staffId: "mgr" },
  );
}

/** Audit actions and outbox revisions of one record, read from the SQLite file as an operator would. */
function trail(store: TestStore, recordId: string) {
  const db = new Database(store.path, { readonly: true });
  try {
    return {
      audit: (
        db.prepare("SELECT action, actor FROM audit_log WHERE entity_id = ? ORDER BY seq").all(recordId) as {
          action: string;
          actor: string;
        }[]
      ).map((row) => `${row.action} by ${row.actor}`),
      outbox: (
        db.prepare("SELECT revision FROM outbox WHERE record_id = ? ORDER BY seq").all(recordId) as {
          revision: number;
        }[]
      ).map((row) => row.revision),
    };
  } finally {
    db.close();
  }
}

describe("following up due future payments at the desk", () => {
  let store: TestStore;
  afterEach(() => store.dispose());

  it("a due cash future payment is listed, then collected: a completed payment dated today, audited and queued for central", async () => {
    store = testStore();
    const checkout = await testCheckout(store);
    const scheduled = promise(store, "cash");
    // Not due yet: not listed, and not collectable.
    expect(checkout.needsAttention()).toEqual([]);
    await expectKioskErrorAsync(
      () => checkout.followUp(scheduled.id, "collect-cash", null, CASHIER),
      ErrorCodes.PAYMENT_NOT_COLLECTABLE,
    );

    store.clock.set("2026-12-01T15:00:00Z");
    expect(checkout.needsAttention()).toEqual([
      expect.objectContaining({
        recordId: scheduled.id,
        kind: "due-at-desk",
        amount: { minor: 5_000, currency: "USD" },
        at: "2026-12-01",
        actions: ["collect-cash", "collected-elsewhere", "cancel"],
      }),
    ]);
    // Collected by check when it was promised in cash: refused, nothing written.
    await expectKioskErrorAsync(
      () => checkout.followUp(scheduled.id, "collect-check", "1234", CASHIER),
      ErrorCodes.PAYMENT_NOT_COLLECTABLE,
    );
    const collected = await checkout.followUp(scheduled.id, "collect-cash", null, CASHIER);
    expect(collected).toMatchObject({
      id: scheduled.id,
      revision: 2,
      status: "completed",
      paymentDate: "2026-12-01",
      staffId: "cash1",
      method: { type: "cash", amountTendered: { minor: 5_000 }, changeDue: { minor: 0 } },
    });
    expect(store.records.get(scheduled.id)).toEqual(collected);
    expect(trail(store, scheduled.id)).toEqual({
      audit: ["record.created by mgr", "record.collected by cash1"],
      outbox: [1, 2],
    });
    // The balance did not move (the promise already counted), and the item left the list.
    expect(store.ledger.account("inv-1").balance.minor).toBe(20_000);
    expect(checkout.needsAttention()).toEqual([]);
    // Collected twice: refused.
    await expectKioskErrorAsync(
      () => checkout.followUp(scheduled.id, "collect-cash", null, CASHIER),
      ErrorCodes.PAYMENT_NOT_COLLECTABLE,
    );
  });

  it("a check is collected with its number; a number that is not one is refused", async () => {
    store = testStore();
    const checkout = await testCheckout(store);
    const scheduled = promise(store, "check");
    store.clock.set("2026-12-02T15:00:00Z");
    expect(checkout.needsAttention()[0]?.actions).toEqual(["collect-check", "collected-elsewhere", "cancel"]);
    await expectKioskErrorAsync(
      () => checkout.followUp(scheduled.id, "collect-check", "12AB", CASHIER),
      ErrorCodes.PAYMENT_CHECK_NUMBER_INVALID,
    );
    expect(store.records.get(scheduled.id)?.status).toBe("scheduled");
    const collected = await checkout.followUp(scheduled.id, "collect-check", "4402", CASHIER);
    expect(collected).toMatchObject({ status: "completed", method: { type: "check", checkNumber: "4402" } });
  });

  it("marked collected elsewhere, or cancelled with a reason: closed with the words in its note, audited", async () => {
    store = testStore();
    const checkout = await testCheckout(store);
    const elsewhere = promise(store, "cash", 3_000);
    const cancelled = promise(store, "cash", 2_000);
    store.clock.set("2026-12-01T15:00:00Z");

    await expectKioskErrorAsync(
      () => checkout.followUp(elsewhere.id, "collected-elsewhere", "   ", CASHIER),
      ErrorCodes.FOLLOW_UP_TEXT_INVALID,
    );
    await expectKioskErrorAsync(
      () => checkout.followUp(cancelled.id, "cancel", "x".repeat(121), CASHIER),
      ErrorCodes.FOLLOW_UP_TEXT_INVALID,
    );
    // A card number typed as a reference is refused: it would be stored and synced in clear.
    await expectKioskErrorAsync(
      () => checkout.followUp(elsewhere.id, "collected-elsewhere", "card 4111 1111 1111 1111", CASHIER),
      ErrorCodes.PAYMENT_CARD_NUMBER_IN_TEXT,
    );
    expect(store.records.get(elsewhere.id)?.revision).toBe(1);

    expect(
      await checkout.followUp(elsewhere.id, "collected-elsewhere", "Spectra receipt 8812", CASHIER),
    ).toMatchObject({
      status: "voided",
      voidedBy: "cash1",
      note: "Collected elsewhere: Spectra receipt 8812",
    });
    expect(await checkout.followUp(cancelled.id, "cancel", "Client moved away", CASHIER)).toMatchObject({
      status: "voided",
      note: "Cancelled: Client moved away",
    });
    expect(trail(store, elsewhere.id).audit).toEqual([
      "record.created by mgr",
      "record.collected-elsewhere by cash1",
    ]);
    expect(trail(store, cancelled.id)).toEqual({
      audit: ["record.created by mgr", "record.cancelled by cash1"],
      outbox: [1, 2],
    });
    expect(checkout.needsAttention()).toEqual([]);
    // Without card processing there is no saved card to retry.
    await expectKioskErrorAsync(
      () => checkout.followUp(elsewhere.id, "retry-saved-card", null, CASHIER),
      ErrorCodes.FOLLOW_UP_NOT_AVAILABLE,
    );
  });

  it("a locked kiosk follows up nothing", async () => {
    store = testStore();
    const checkout = await testCheckout(store);
    const scheduled = promise(store, "cash");
    store.clock.set("2026-12-01T15:00:00Z");
    checkout.lock("stolen?", "mgr");
    await expectKioskErrorAsync(
      () => checkout.followUp(scheduled.id, "collect-cash", null, CASHIER),
      ErrorCodes.KIOSK_LOCKED,
    );
    expect(store.records.get(scheduled.id)?.status).toBe("scheduled");
  });
});
