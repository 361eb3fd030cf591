import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { expectKioskError } from "../../test/helpers/kiosk-error.js";
import { STAFF } from "../../test/helpers/payments.js";
import { type TestStore, testStore } from "../../test/helpers/store.js";
import { ErrorCodes } from "../core/error-codes.js";
import { parseMaskedPan } from "../payments/card/masked-pan.js";
import type { Charge } from "../payments/card-processor.js";
import { checkIntegrity } from "./integrity.js";

const count = (store: TestStore, table: string): number =>
  (store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

const swipedCard = {
  kind: "payment",
  invoiceId: "inv-1",
  amountMinor: 2_000,
  currency: "USD",
  methodId: "card",
  methodFields: { type: "card", entryMode: "swiped", maskedPan: "424242******4242" },
};

const chargeFor = (key: string): Charge => ({
  chargeId: "ch_1",
  amount: { minor: 2_000, currency: "USD" },
  authorizationCode: "OK1234",
  card: { brand: "Visa", maskedPan: parseMaskedPan("424242******4242"), last4: "4242", expiry: null },
  token: null,
  idempotencyKey: key,
});

describe("intents in the store", () => {
  let store: TestStore;
  beforeEach(() => {
    store = testStore({ processorKind: "gateway" });
  });
  afterEach(() => store.dispose());

  const openSale = () => {
    const { record, begun } = store.ledger.recordWithIntent(swipedCard, STAFF);
    if (!begun) throw new Error("a sale through the processor opens an intent");
    return { record, key: begun.intent.key };
  };

  it("settles an answer through the machine: intent, record revision, outbox and audit in one go", () => {
    const { record, key } = openSale();
    const settled = store.ledger.settle(
      key,
      { type: "charged", charge: chargeFor(key), during: "payment" },
      "mgr",
    );
    expect(settled.intent.state).toEqual({ phase: "done" });
    expect(settled.record).toMatchObject({ status: "completed", revision: 2 });
    expect(store.intents.get(key)).toMatchObject({ state: "done", outcome: "approved" });
    expect(store.records.get(record.id)).toEqual(settled.record);
    expect(count(store, "outbox")).toBe(2);
    expect(checkIntegrity(store.db).ok).toBe(true);
  });

  it("refuses a second answer to a settled intent and writes nothing", () => {
    const { record, key } = openSale();
    store.ledger.settle(key, { type: "declined", code: ErrorCodes.PROCESSOR_DECLINED }, "mgr");
    const before = { outbox: count(store, "outbox"), audit: count(store, "audit_log") };
    const refusal = expectKioskError(
      () => store.ledger.settle(key, { type: "charged", charge: chargeFor(key), during: "payment" }, "mgr"),
      ErrorCodes.CARD_INTENT_EVENT_REFUSED,
    );
    expect(refusal.context).toMatchObject({ key, phase: "failed", event: "charged" });
    expect(store.records.get(record.id)).toMatchObject({ status: "declined", revision: 2 });
    expect(store.intents.get(key)).toMatchObject({ state: "failed", outcome: ErrorCodes.PROCESSOR_DECLINED });
    expect({ outbox: count(store, "outbox"), audit: count(store, "audit_log") }).toEqual(before);
  });

  it("writes a change only from the state it was computed from, and only forward", () => {
    const { key } = openSale();
    const at = store.clock.now().toISOString();
    const open = { phase: "open" as const, outcome: null };
    store.intents.settle(key, open, { phase: "done", outcome: "approved" }, at);
    // Another answer computed while the intent was still open comes too late.
    expectKioskError(
      () => store.intents.settle(key, open, { phase: "failed", outcome: ErrorCodes.PROCESSOR_DECLINED }, at),
      ErrorCodes.CARD_INTENT_STALE,
    );
    expectKioskError(
      () => store.intents.settle(key, { phase: "done", outcome: "approved" }, open, at),
      ErrorCodes.CARD_INTENT_EVENT_REFUSED,
    );
    expect(store.intents.get(key)).toMatchObject({ state: "done", outcome: "approved" });
  });

  it("refuses to collect a record that is not waiting for it, and opens nothing", () => {
    const { record } = openSale();
    expectKioskError(() => store.ledger.beginCollection(record.id, 1), ErrorCodes.PAYMENT_NOT_COLLECTABLE);
    expect(store.intents.forRecord(record.id).map((intent) => intent.operation)).toEqual(["sale"]);
  });
});
