import { afterEach, describe, expect, it } from "vitest";
import { cashPayment, manualCardPayment, STAFF } from "../../test/helpers/payments.js";
import { type TestStore, testStore } from "../../test/helpers/store.js";
import { newId } from "../core/ids.js";
import { endOfDayItemSchema } from "../payments/end-of-day.js";
import { ShiftDesk } from "./shift-desk.js";

describe("the shift desk queues its paperwork for central", () => {
  let store: TestStore;
  afterEach(() => store.dispose());

  const desk = () => new ShiftDesk({ store, currency: "USD", clock: store.clock, newId });
  const queued = () =>
    store.endOfDay.pending(100).map((entry) => endOfDayItemSchema.parse(JSON.parse(entry.payload)));

  it("queues the shift's opening, drawer count, X and Z reports and closing, each valid for central", () => {
    store = testStore();
    store.ledger.record(
      cashPayment(10_000, { methodFields: { type: "cash", amountTenderedMinor: 12_000 } }),
      STAFF,
    );
    store.ledger.record(manualCardPayment(5_000), STAFF);
    desk().report("mgr");
    desk().countDrawer(9_950, "csh");
    const z = desk().closeDay("mgr");

    const items = queued();
    expect(
      items.map((item) => `${item.type}:${item.revision}${item.type === "report" ? item.report : ""}`),
    ).toEqual(["shift:1", "report:1X", "drawer-count:1", "shift:2", "report:1Z", "shift:1"]);
    const [opened, , count, closed, zReport, next] = items;
    expect(count).toMatchObject({
      countedMinor: 9_950,
      expectedMinor: 10_000,
      differenceMinor: -50,
      countedBy: "csh",
    });
    expect(zReport).toMatchObject({
      shiftId: z.shift.id,
      takenBy: "mgr",
      paymentCount: 2,
      paymentsMinor: 15_000,
      netMinor: 15_000,
      expectedCashMinor: 10_000,
    });
    expect(closed).toMatchObject({ id: opened?.id, closedBy: "mgr", closedAt: z.closedAt });
    expect(next?.id).not.toBe(opened?.id);
  });

  it("marks items synced only as central answers, once", () => {
    store = testStore();
    desk().countDrawer(0, "csh");
    const [shift, count] = store.endOfDay.pending(10);
    expect(store.endOfDay.depth()).toBe(2);
    const answer = [{ id: count?.itemId ?? "", revision: 1, outcome: "stored" }];
    expect(store.endOfDay.markSynced(answer, "2026-12-02T10:00:00.000Z")).toBe(1);
    expect(store.endOfDay.markSynced(answer, "2026-12-02T10:00:01.000Z")).toBe(0);
    expect(store.endOfDay.pending(10).map((entry) => entry.itemId)).toEqual([shift?.itemId]);
  });

  it("rolls the queued item back with the change when the transaction fails", () => {
    store = testStore();
    desk().report("mgr");
    const before = store.endOfDay.depth();
    expect(() => desk().countDrawer(-1, "csh")).toThrow();
    expect(store.endOfDay.depth()).toBe(before);
  });
});
