import { afterEach, describe, expect, it } from "vitest";
import {
  CARDS,
  type CardRig,
  cardDraft,
  cardRig,
  referenceOf,
  rigCards,
  simCharges,
  simRefunds,
  swipe,
} from "../../test/helpers/card-payments.js";
import { testCheckout } from "../../test/helpers/checkout.js";
import { expectKioskErrorAsync } from "../../test/helpers/kiosk-error.js";
import { cashPayment, manualCardPayment, STAFF } from "../../test/helpers/payments.js";
import { type TestStore, testStore } from "../../test/helpers/store.js";
import { ErrorCodes } from "../core/error-codes.js";
import { SwipeSecrets } from "../drivers/card-reader/card-read.js";
import { CardNumber } from "../payments/card/card-number.js";
import type { MaskedPan } from "../payments/card/masked-pan.js";
import type { LockState } from "./checkout-types.js";

const MANAGER = { id: "mgr", role: "manager" as const };

describe("checkout decides the money path", () => {
  let rig: CardRig;
  afterEach(() => rig.dispose());

  const intentsOf = (recordId: string) =>
    rig.store.intents.forRecord(recordId).map((intent) => [intent.operation, intent.state]);

  it("sends a card refund to the processor, and records cash payments and refunds by the ledger alone", async () => {
    rig = await cardRig();
    const checkout = await testCheckout(rig.store, { cards: rigCards(rig) });
    const paid = await rig.charger.pay(cardDraft(6_000), STAFF, swipe(CARDS.approve));
    rig.simulator.settle(); // Authorize.Net refunds settled charges only

    const refund = await checkout.record(
      { ...cardDraft(2_000), kind: "refund", refundOf: paid.record.id },
      MANAGER,
    );
    expect(refund).toMatchObject({ kind: "approved", record: { kind: "refund", status: "completed" } });
    expect(simRefunds(rig.simulator)).toEqual([
      expect.objectContaining({
        amountMinor: 2_000,
        invoiceNumber: referenceOf(`refund:${refund.record.id}`),
      }),
    ]);
    expect(intentsOf(refund.record.id)).toEqual([["refund", "done"]]);

    const cash = await checkout.record(cashPayment(3_000), MANAGER);
    const cashRefund = await checkout.record(
      cashPayment(1_000, { kind: "refund", refundOf: cash.record.id }),
      MANAGER,
    );
    for (const outcome of [cash, cashRefund]) {
      expect(outcome).toMatchObject({ kind: "approved", record: { status: "completed", staffId: "mgr" } });
      expect(intentsOf(outcome.record.id)).toEqual([]);
    }
    expect(simCharges(rig.simulator)).toHaveLength(1);
    expect(simRefunds(rig.simulator)).toHaveLength(1);
  });

  it("voids a processor charge at the processor; without card processing the ledger voids it and the processor's void waits", async () => {
    rig = await cardRig();
    const withCards = await testCheckout(rig.store, { cards: rigCards(rig) });
    const withoutCards = await testCheckout(rig.store);
    const chargeOf = (record: { method: { type: string; processorReference?: string | null } }) =>
      rig.simulator.books.transactions.get(record.method.processorReference ?? "");

    const first = await rig.charger.pay(cardDraft(1_000), STAFF, swipe(CARDS.approve));
    expect(await withCards.void(first.record.id, MANAGER)).toMatchObject({ status: "voided" });
    expect(chargeOf(first.record)?.status).toBe("voided");
    expect(intentsOf(first.record.id)).toEqual([
      ["sale", "done"],
      ["void", "done"],
    ]);

    const second = await rig.charger.pay(cardDraft(1_500), STAFF, swipe(CARDS.approve));
    expect(await withoutCards.void(second.record.id, MANAGER)).toMatchObject({ status: "voided" });
    expect(chargeOf(second.record)?.status).not.toBe("voided");
    // The void is on disk as an intent: the reconciler sends it once card processing runs.
    expect(intentsOf(second.record.id)).toEqual([
      ["sale", "done"],
      ["void", "open"],
    ]);
  });
});

describe("checkout for the screens", () => {
  let store: TestStore;
  afterEach(() => store.dispose());

  it("finds an invoice by number and last name, or by number alone, with where it stands", async () => {
    store = testStore();
    const checkout = await testCheckout(store);
    expect(checkout.findInvoice("A-1001", "Smith")).toBeNull();
    expect(checkout.findInvoice("Z-9", null)).toBeNull();
    await checkout.record(manualCardPayment(5_000), MANAGER);
    const found = checkout.findInvoice("a-1001", "NÚÑEZ");
    expect(found).toMatchObject({
      invoice: { id: "inv-1", number: "A-1001" },
      account: { total: { minor: 25_000 }, paid: { minor: 5_000 }, balance: { minor: 20_000 } },
      records: [{ kind: "payment", amount: { minor: 5_000 } }],
    });
    expect(checkout.findInvoice("A-1001", null)).toEqual(found);
  });

  it("refuses card work without card processing, with its code, and wipes the swipe", async () => {
    store = testStore();
    const checkout = await testCheckout(store);
    const secrets = new SwipeSecrets({
      cardNumber: CardNumber.parse(CARDS.approve),
      track1: null,
      track2: null,
    });
    const read = {
      maskedPan: "424242******4242" as MaskedPan,
      brand: "Visa",
      cardholderName: null,
      expiry: "2030-12",
      expired: false,
      serviceCode: null,
      entryMode: "swiped" as const,
      tracks: [2 as const],
      encrypted: null,
      secrets,
    };
    let charging = 0;
    await expectKioskErrorAsync(
      () => checkout.payWithSwipe(cardDraft(1_000), STAFF, read, () => (charging += 1)),
      ErrorCodes.PROCESSOR_NOT_INTEGRATED,
    );
    expect(secrets.available).toBe(false);
    expect(charging).toBe(1);
    await expectKioskErrorAsync(
      () => checkout.startKeyedEntry({ minor: 1_000, currency: "USD" }),
      ErrorCodes.PROCESSOR_NOT_INTEGRATED,
    );
    expect(store.records.forInvoice("inv-1")).toEqual([]);
  });

  it("keeps a record central refused on the needs-attention list, with central's code and reason, until a later revision is stored", async () => {
    store = testStore();
    const checkout = await testCheckout(store);
    const paid = await checkout.record(cashPayment(4_000), MANAGER);
    const other = await checkout.record(cashPayment(1_000), MANAGER);
    const at = "2026-12-02T12:00:00.000Z";
    store.outbox.markSynced(
      [
        {
          recordId: paid.record.id,
          revision: 1,
          outcome: "rejected",
          code: "SYNC_RECORD_INVALID",
          reason: "amount.minor: Too big",
        },
        { recordId: other.record.id, revision: 1, outcome: "stored" },
      ],
      at,
    );
    expect(checkout.needsAttention()).toEqual([
      {
        recordId: paid.record.id,
        kind: "refused-by-central",
        invoiceNumber: "A-1001",
        clientName: expect.any(String),
        amount: { minor: 4_000, currency: "USD" },
        outcome: "SYNC_RECORD_INVALID: amount.minor: Too big",
        at,
        attempts: null,
        actions: [],
        payLink: null,
      },
    ]);
    // Its outbox row is synced (central answered), yet the kiosk has not forgotten it.
    expect(store.outbox.depth().depth).toBe(0);

    // A later revision central stores makes it good: off the list.
    const voided = await checkout.void(paid.record.id, MANAGER);
    store.outbox.markSynced([{ recordId: voided.id, revision: voided.revision, outcome: "stored" }], at);
    expect(checkout.needsAttention()).toEqual([]);
  });

  it("locks and unlocks for staff, and tells each listener until it stops listening", async () => {
    store = testStore();
    const checkout = await testCheckout(store);
    const heard: LockState[] = [];
    const stop = checkout.onLockChanged((lock) => heard.push(lock));
    checkout.lock("Out of service", "mgr");
    expect(checkout.lockState()).toMatchObject({ locked: true, reason: "Out of service", by: "mgr" });
    checkout.unlock("mgr");
    stop();
    checkout.lock("Out of service", "mgr");
    expect(heard.map((lock) => lock.locked)).toEqual([true, false]);
    // A locked kiosk moves no money (test/checkout/stolen-kiosk-lock.test.ts): unlock to record.
    checkout.unlock("mgr");
    expect(checkout.waitingToSync()).toBe(0);
    await checkout.record(cashPayment(1_000), MANAGER);
    expect(checkout.waitingToSync()).toBe(1);
  });
});
