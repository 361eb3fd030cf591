import { afterEach, describe, expect, it } from "vitest";
import { cashPayment, manualCardPayment, STAFF } from "../../test/helpers/payments.js";
import { type TestStore, testStore } from "../../test/helpers/store.js";
import { ErrorCodes } from "../core/error-codes.js";
import { newId } from "../core/ids.js";
import { isKioskError } from "../core/kiosk-error.js";
import { ShiftDesk } from "./shift-desk.js";

const usd = (minor: number) => ({ minor, currency: "USD" });

describe("shift desk", () => {
  let store: TestStore;
  afterEach(() => store.dispose());

  const desk = () => new ShiftDesk({ store, currency: "USD", clock: store.clock, newId });

  it("reports the open shift, counts the drawer against the expected cash, and closes the day", () => {
    store = testStore();
    store.ledger.record(
      cashPayment(10_000, { methodFields: { type: "cash", amountTenderedMinor: 12_000 } }),
      STAFF,
    );
    store.ledger.record(manualCardPayment(5_000), STAFF);
    const x = desk().report("mgr");
    expect(x.payments).toEqual({ count: 2, total: usd(15_000) });
    expect(x.expectedCash).toEqual(usd(10_000));
    expect(x.closedAt).toBeNull();

    const count = desk().countDrawer(9_950, "csh");
    expect(count).toMatchObject({
      counted: usd(9_950),
      expected: usd(10_000),
      difference: usd(-50),
      countedBy: "csh",
    });
    const row = store.db.prepare("SELECT difference_minor FROM drawer_counts WHERE id = ?").get(count.id);
    expect(row).toEqual({ difference_minor: -50 });
    expect(
      store.db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'drawer.counted'").get(),
    ).toEqual({ n: 1 });

    store.clock.advance(3_600_000);
    const z = desk().closeDay("mgr");
    expect(z.shift.id).toBe(x.shift.id);
    expect(z.closedAt).toBe(store.clock.now().toISOString());
    expect(z.drawerCounts).toHaveLength(1);
    const next = desk().report("mgr");
    expect(next.shift.id).not.toBe(x.shift.id);
    expect(next.payments.count).toBe(0);
  });

  it("refuses a negative count and writes nothing", () => {
    store = testStore();
    expect(() => desk().countDrawer(-1, "csh")).toThrow(
      expect.objectContaining({ code: ErrorCodes.STAFF_DRAWER_COUNT_INVALID }),
    );
    try {
      desk().countDrawer(Number.NaN, "csh");
    } catch (error) {
      expect(isKioskError(error, ErrorCodes.STAFF_DRAWER_COUNT_INVALID)).toBe(true);
    }
    expect(store.db.prepare("SELECT count(*) AS n FROM drawer_counts").get()).toEqual({ n: 0 });
  });
});
