import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Checkout } from "../../src/checkout/checkout.js";
import type { SyncAgent } from "../../src/sync/agent/sync-agent.js";
import { sqlOf } from "../helpers/central-queries.js";
import { testCheckout } from "../helpers/checkout.js";
import { type Fleet, startFleet, startKioskAgent } from "../helpers/dashboard.js";
import { cashPayment, STAFF } from "../helpers/payments.js";
import { type TestStore, testStore } from "../helpers/store.js";
import { until } from "../helpers/wait.js";

const KIOSK = "kiosk-eod-sync";

/**
 * Shifts, drawer counts and X/Z reports from a kiosk's shift desk reach central through the real
 * broker into PostgreSQL, each once, and a resend after a lost ack changes nothing.
 */
describe("end-of-day paperwork from a kiosk to central (Mosquitto, PostgreSQL)", () => {
  let fleet: Fleet;
  let store: TestStore;
  let checkout: Checkout;
  let agent: SyncAgent | null = null;
  const db = () => sqlOf(fleet.database.pool);
  const counts = async () => {
    const [row] = await db().query<Record<string, unknown>>(
      `SELECT (SELECT count(*) FROM kiosk_shifts WHERE device_id = $1) AS shifts,
              (SELECT count(*) FROM kiosk_shifts WHERE device_id = $1 AND closed_at IS NOT NULL) AS closed,
              (SELECT count(*) FROM drawer_counts WHERE device_id = $1) AS drawer_counts,
              (SELECT count(*) FROM shift_reports WHERE device_id = $1) AS reports`,
      [KIOSK],
    );
    return {
      shifts: Number(row?.shifts),
      closed: Number(row?.closed),
      drawerCounts: Number(row?.drawer_counts),
      reports: Number(row?.reports),
    };
  };

  beforeAll(async () => {
    fleet = await startFleet();
    store = testStore({ deviceId: KIOSK });
    checkout = await testCheckout(store);
  }, 60_000);

  afterAll(async () => {
    await agent?.stop();
    store?.dispose();
    await fleet?.stop();
  });

  it("delivers the day's shifts, drawer count and reports, with the kiosk's figures", async () => {
    store.ledger.record(
      cashPayment(12_000, { methodFields: { type: "cash", amountTenderedMinor: 12_000 } }),
      STAFF,
    );
    checkout.shiftReport("mgr");
    checkout.countDrawer(11_900, "mgr");
    const z = checkout.closeDay("mgr");
    agent = startKioskAgent(store, KIOSK, fleet.broker.url);
    await until(() => store.endOfDay.depth() === 0, "the end-of-day outbox drained");

    expect(await counts()).toEqual({ shifts: 2, closed: 1, drawerCounts: 1, reports: 2 });
    const [closed] = await db().query<Record<string, unknown>>(
      "SELECT closed_by, to_char(closed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') AS closed_at FROM kiosk_shifts WHERE id = $1",
      [z.shift.id],
    );
    expect(closed).toEqual({ closed_by: "mgr", closed_at: z.closedAt });
    const [count] = await db().query<Record<string, unknown>>(
      "SELECT counted_minor::int AS counted, expected_minor::int AS expected, difference_minor::int AS difference FROM drawer_counts",
    );
    expect(count).toEqual({ counted: 11_900, expected: 12_000, difference: -100 });
    const [report] = await db().query<Record<string, unknown>>(
      "SELECT net_minor::int AS net, expected_cash_minor::int AS cash FROM shift_reports WHERE kind = 'Z'",
    );
    expect(report).toEqual({ net: 12_000, cash: 12_000 });
  }, 60_000);

  it("answers a resend (an ack lost, the kiosk killed before it marked anything) as duplicates", async () => {
    await agent?.stop();
    agent = null;
    // What a kiosk killed between central's commit and its own mark would hold: everything unsynced.
    store.db.prepare("UPDATE end_of_day_outbox SET synced_at = NULL, central_outcome = NULL").run();
    const before = await counts();
    agent = startKioskAgent(store, KIOSK, fleet.broker.url);
    await until(() => store.endOfDay.depth() === 0, "the resend acknowledged");
    expect(await counts()).toEqual(before);
    const outcomes = store.db
      .prepare(
        "SELECT central_outcome AS outcome, count(*) AS n FROM end_of_day_outbox GROUP BY 1 ORDER BY 1",
      )
      .all();
    // The closed shift's opening revision arrives after its closing: superseded, the closing kept.
    expect(outcomes).toEqual([
      { outcome: "duplicate", n: 5 },
      { outcome: "superseded", n: 1 },
    ]);
  }, 60_000);
});
