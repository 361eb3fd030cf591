import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { expectKioskError } from "../../test/helpers/kiosk-error.js";
import { cashPayment, manualCardPayment, STAFF } from "../../test/helpers/payments.js";
import { type TestStore, testStore } from "../../test/helpers/store.js";
import { ErrorCodes } from "../core/error-codes.js";
import { checkIntegrity } from "../store/integrity.js";

const count = (store: TestStore, table: string): number =>
  (store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

describe("the ledger", () => {
  let store: TestStore;
  beforeEach(() => {
    store = testStore();
  });
  afterEach(() => store.dispose());

  it("writes the record, its outbox row and its audit row together", () => {
    const record = store.ledger.record(
      cashPayment(10_000, { methodFields: { type: "cash", amountTenderedMinor: 12_000 } }),
      STAFF,
    );
    expect(store.records.get(record.id)).toEqual(record);
    const [entry] = store.outbox.pending(10);
    expect(entry).toMatchObject({ recordId: record.id, revision: 1 });
    expect(JSON.parse(entry?.payload ?? "null")).toEqual(record);
    const audit = store.db
      .prepare("SELECT actor, action, entity_id FROM audit_log WHERE entity = 'payment_record'")
      .all();
    expect(audit).toEqual([{ actor: "mgr", action: "record.created", entity_id: record.id }]);
    expect(record.shiftId).toBe(store.shifts.current()?.id);
    expect(checkIntegrity(store.db).ok).toBe(true);
  });

  it("dates records in the studio's time zone", () => {
    store.clock.set("2026-11-27T05:30:00Z"); // 22:30 on the 26th in Denver
    expect(store.ledger.record(cashPayment(100), STAFF).paymentDate).toBe("2026-11-26");
  });

  it("writes nothing when a rule refuses", () => {
    expectKioskError(
      () => store.ledger.record(cashPayment(30_000), STAFF),
      ErrorCodes.PAYMENT_EXCEEDS_BALANCE,
    );
    expectKioskError(() => store.ledger.record({ junk: true }, STAFF), ErrorCodes.PAYMENT_RECORD_INVALID);
    expectKioskError(
      () => store.ledger.record(cashPayment(100, { invoiceId: "inv-unknown" }), STAFF),
      ErrorCodes.PAYMENT_INVOICE_UNKNOWN,
    );
    expect(count(store, "payment_records")).toBe(0);
    expect(count(store, "outbox")).toBe(0);
    expect(count(store, "audit_log")).toBe(0);
  });

  it("validates against the balance as stored, so two payments cannot both take the last dollar", () => {
    store.ledger.record(cashPayment(24_900), STAFF);
    store.ledger.record(cashPayment(100), STAFF);
    expectKioskError(() => store.ledger.record(cashPayment(1), STAFF), ErrorCodes.PAYMENT_EXCEEDS_BALANCE);
    expect(store.ledger.account("inv-1")).toMatchObject({ balance: { minor: 0 }, paid: { minor: 25_000 } });
  });

  it("voids as a new revision with its own outbox and audit rows", () => {
    const record = store.ledger.record(manualCardPayment(5_000), STAFF);
    expectKioskError(
      () => store.ledger.void(record.id, { id: "csh", role: "cashier" }),
      ErrorCodes.VOID_NOT_ALLOWED,
    );
    const voided = store.ledger.void(record.id, { id: "mgr", role: "manager" });
    expect(voided).toMatchObject({
      revision: 2,
      status: "voided",
      voidedBy: "mgr",
      voidedAt: "2026-11-26T17:00:00.000Z",
    });
    expect(store.outbox.pending(10).map((entry) => entry.revision)).toEqual([1, 2]);
    expect(store.ledger.account("inv-1").balance.minor).toBe(25_000);
    expect(checkIntegrity(store.db).ok).toBe(true);
  });

  it("refuses to void a record of an earlier shift", () => {
    const record = store.ledger.record(cashPayment(5_000), STAFF);
    store.db.transaction(() => store.shifts.close("2026-11-26T23:00:00Z", "mgr"))();
    expectKioskError(
      () => store.ledger.void(record.id, { id: "mgr", role: "manager" }),
      ErrorCodes.VOID_NOT_ALLOWED,
    );
  });

  it("reads each record's line for the rules exactly as the record says, refunds and overpayments too", () => {
    const card = store.ledger.record(manualCardPayment(5_000), STAFF);
    const gift = store.ledger.record(
      cashPayment(21_000, { methodId: "gift", methodFields: { type: "gift", reference: "G-7" } }),
      STAFF,
    );
    const refund = store.ledger.record(
      manualCardPayment(2_000, { kind: "refund", refundOf: card.id }),
      STAFF,
    );
    const lines = store.records.linesFor("inv-1");
    expect(lines).toEqual(
      [card, gift, refund].map(({ id, kind, status, amount, overpayment, refundOf, method }) => ({
        id,
        kind,
        status,
        amount,
        overpayment,
        refundOf,
        method,
      })),
    );
    expect(gift.overpayment).toEqual({ minor: 1_000, currency: "USD" });
    expect(refund.refundOf).toBe(card.id);
    expect(store.records.linesFor("inv-unknown")).toEqual([]);
  });

  it("never stores a malformed revision", () => {
    const record = store.ledger.record(cashPayment(5_000), STAFF);
    expectKioskError(
      () =>
        store.ledger.revise(record.id, { amount: { minor: 1.5, currency: "USD" } }, "mgr", "record.changed"),
      ErrorCodes.PAYMENT_RECORD_INVALID,
    );
    expect(store.records.get(record.id)?.revision).toBe(1);
  });
});
