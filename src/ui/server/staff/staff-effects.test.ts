import { afterEach, describe, expect, it } from "vitest";
import { CARDS, cardDraft, encryptedSwipe } from "../../../../test/helpers/card-payments.js";
import { testCheckout } from "../../../../test/helpers/checkout.js";
import { cashPayment } from "../../../../test/helpers/payments.js";
import { type TestStore, testStore } from "../../../../test/helpers/store.js";
import { ErrorCodes } from "../../../core/error-codes.js";
import { createMemoryLogger } from "../../../core/logger.js";
import { RelayCashDrawer } from "../../../drivers/gpio/cash-drawer.js";
import { SimulatedPins } from "../../../drivers/gpio/simulated-pins.js";
import type { StaffEffect, StaffEvent } from "../../flows/staff/index.js";
import { StaffEffects } from "./staff-effects.js";

const MANAGER = { id: "mgr", name: "Morgan", role: "manager" as const };

describe("staff effects", () => {
  let store: TestStore;
  afterEach(() => store.dispose());

  async function setUp(withDrawer = true) {
    store = testStore();
    const pins = new SimulatedPins();
    const staff = [
      { ...MANAGER, pin: "1234" },
      { id: "csh", name: "Casey", role: "cashier" as const, pin: "2468" },
    ];
    let left = 0;
    const effects = new StaffEffects({
      checkout: await testCheckout(store, { staff }),
      cashDrawer: withDrawer ? new RelayCashDrawer(pins.output(17), 20) : null,
      logger: createMemoryLogger(),
      now: () => store.clock.now().getTime(),
      leave: () => {
        left += 1;
      },
    });
    const run = async (effect: StaffEffect): Promise<StaffEvent[]> => {
      const events: StaffEvent[] = [];
      await effects.run(effect, (event) => events.push(event));
      return events;
    };
    return { run, pins, left: () => left };
  }

  it("tells who a PIN belongs to, and nobody for a wrong one", async () => {
    const { run } = await setUp();
    expect(await run({ type: "verify-pin", pin: "2468" })).toMatchObject([
      { type: "pin-checked", staff: { id: "csh", role: "cashier" } },
    ]);
    expect(await run({ type: "verify-pin", pin: "0000" })).toMatchObject([
      { type: "pin-checked", staff: null },
    ]);
  });

  it("finds an invoice by number, saves cash through the ledger and pulses the drawer", async () => {
    const { run, pins } = await setUp();
    expect(await run({ type: "find-invoice", number: "a-1001" })).toMatchObject([
      { type: "invoice-found", invoice: { number: "A-1001", balance: { minor: 25_000 } } },
    ]);
    expect(await run({ type: "find-invoice", number: "Z-9" })).toMatchObject([
      { type: "invoice-missing", error: { code: ErrorCodes.STAFF_INVOICE_NOT_FOUND } },
    ]);
    const saved = await run({
      type: "save-record",
      draft: cashPayment(20_000, { methodFields: { type: "cash", amountTenderedMinor: 25_000 } }),
      staff: MANAGER,
    });
    expect(saved).toMatchObject([
      { type: "record-saved", saved: { changeDue: { minor: 5_000 }, status: "completed" } },
    ]);
    expect(store.ledger.account("inv-1").paid.minor).toBe(20_000);

    expect(await run({ type: "open-drawer" })).toEqual([{ type: "drawer-opened" }]);
    expect(pins.history.get(17)?.map((step) => step.level)).toEqual([1, 0]);
  });

  it("returns a rule's coded error and writes nothing", async () => {
    const { run } = await setUp();
    const refused = await run({
      type: "save-record",
      draft: cashPayment(20_000, { methodFields: { type: "cash", amountTenderedMinor: 100 } }),
      staff: MANAGER,
    });
    expect(refused).toMatchObject([
      { type: "record-refused", error: { code: ErrorCodes.PAYMENT_CASH_TENDERED_SHORT } },
    ]);
    expect(store.records.forInvoice("inv-1")).toEqual([]);
  });

  it("voids, reports, counts the drawer, closes the day, locks and unlocks", async () => {
    const { run } = await setUp(false);
    const record = store.ledger.record(cashPayment(10_000), { kind: "staff", staffId: "mgr" });
    expect(await run({ type: "load-shift-records" })).toMatchObject([
      { type: "shift-records", records: [{ id: record.id }] },
    ]);
    expect(await run({ type: "void-record", recordId: record.id, staff: MANAGER })).toEqual([
      { type: "record-voided", recordId: record.id },
    ]);
    expect(store.records.get(record.id)?.status).toBe("voided");
    expect(await run({ type: "load-report", staff: MANAGER })).toMatchObject([
      { type: "report-ready", report: { voids: { count: 1 }, expectedCash: { minor: 0 } } },
    ]);
    expect(await run({ type: "record-drawer-count", countedMinor: 500, staff: MANAGER })).toMatchObject([
      { type: "drawer-counted", count: { difference: { minor: 500 } } },
    ]);
    expect(await run({ type: "close-day", staff: MANAGER })).toMatchObject([
      {
        type: "report-ready",
        report: { closedAt: expect.any(String), drawerCounts: [{ counted: { minor: 500 } }] },
      },
    ]);
    expect(await run({ type: "open-drawer" })).toMatchObject([
      { type: "effect-failed", error: { code: ErrorCodes.DRAWER_NOT_CONFIGURED } },
    ]);
    expect(await run({ type: "lock-kiosk", staff: MANAGER })).toEqual([
      { type: "lock-changed", locked: true },
    ]);
    expect(store.lock.state).toMatchObject({ locked: true, reason: "Out of service", by: "mgr" });
    expect(await run({ type: "unlock-kiosk", staff: MANAGER })).toEqual([
      { type: "lock-changed", locked: false },
    ]);
    expect(store.lock.state.locked).toBe(false);
  });

  it("lists an offline payment the processor declined later until staff acknowledge it", async () => {
    const { run } = await setUp();
    const record = store.ledger.record(
      cardDraft(4_500, {
        invoiceId: "inv-1",
        methodFields: { type: "card", entryMode: "manual", authorizationCode: "OFF123" },
      }),
      { kind: "staff", staffId: "mgr" },
    );
    const at = store.clock.now().toISOString();
    const payload = encryptedSwipe(CARDS.approve);
    if (payload.kind !== "encrypted") throw new Error("an encrypted swipe");
    store.offlineCards.put(record.id, payload.payload, 4_500, at);
    store.offlineCards.forwarded(record.id, "card_declined", at);

    const [listed] = await run({ type: "load-attention" });
    expect(listed).toMatchObject({
      type: "attention-items",
      items: [
        {
          recordId: record.id,
          kind: "offline-declined",
          amount: { minor: 4_500, currency: "USD" },
          outcome: "card_declined",
          at,
        },
      ],
    });
    expect(
      await run({
        type: "follow-up",
        recordId: record.id,
        action: "acknowledge",
        text: null,
        staff: MANAGER,
      }),
    ).toEqual([{ type: "attention-items", items: [] }]);
  });
});
