import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { reviseRecord } from "../../test/helpers/kiosk-store.js";
import { cashPayment, STAFF } from "../../test/helpers/payments.js";
import { type TestStore, testStore } from "../../test/helpers/store.js";

describe("the outbox", () => {
  let store: TestStore;
  beforeEach(() => {
    store = testStore();
  });
  afterEach(() => store.dispose());

  it("hands out changes in commit order, and forgets them only when acknowledged", () => {
    const ids = [1_000, 2_000, 3_000].map((amount) => store.ledger.record(cashPayment(amount), STAFF).id);
    expect(store.outbox.pending(2).map((entry) => entry.recordId)).toEqual(ids.slice(0, 2));
    const last = store.outbox.pending(2)[1]?.seq ?? 0;
    expect(store.outbox.pending(10, last).map((entry) => entry.recordId)).toEqual([ids[2]]);
    expect(store.outbox.depth()).toEqual({ depth: 3, oldestCreatedAt: "2026-11-26T17:00:00.000Z" });

    const ack = [{ recordId: ids[0] as string, revision: 1 }];
    expect(store.outbox.markSynced(ack, "2026-11-26T17:00:01Z")).toBe(1);
    expect(store.outbox.markSynced(ack, "2026-11-26T17:00:02Z")).toBe(0);
    expect(
      store.outbox.markSynced([{ recordId: ids[1] as string, revision: 9 }], "2026-11-26T17:00:02Z"),
    ).toBe(0);
    expect(store.outbox.pending(10).map((entry) => entry.recordId)).toEqual(ids.slice(1));
    expect(store.outbox.depth().depth).toBe(2);
  });

  it("counts what waits right however acknowledgements arrive, reading from the oldest unsynced row", () => {
    const ids = Array.from(
      { length: 12 },
      (_, index) => store.ledger.record(cashPayment(100 + index), STAFF).id,
    );
    const ack = (indexes: number[]): void => {
      store.outbox.markSynced(
        indexes.map((index) => ({ recordId: ids[index] as string, revision: 1 })),
        "2026-11-26T17:00:01Z",
      );
    };
    const unsynced = (): number =>
      (store.db.prepare("SELECT count(*) AS n FROM outbox WHERE synced_at IS NULL").get() as { n: number }).n;
    const first = (): number | undefined => store.outbox.pending(1)[0]?.seq;

    expect(store.outbox.depth().depth).toBe(12);
    ack([0, 1, 2, 5]); // in order, then one ahead of the rest
    expect(store.outbox.depth().depth).toBe(unsynced());
    expect(first()).toBe(4);
    ack([3, 4]);
    expect(store.outbox.depth().depth).toBe(6);
    expect(first()).toBe(7);
    // Rows marked synced by another connection (a CLI) only leave the mark behind, never ahead.
    store.db.prepare("UPDATE outbox SET synced_at = 'x' WHERE seq <= 9").run();
    expect(store.outbox.depth().depth).toBe(unsynced());
    ack([9, 10, 11]);
    expect(store.outbox.depth()).toEqual({ depth: 0, oldestCreatedAt: null });
    expect(store.outbox.pending(10)).toEqual([]);
    // A change after everything synced is seen.
    const late = store.ledger.record(cashPayment(999), STAFF).id;
    expect(store.outbox.depth().depth).toBe(1);
    expect(store.outbox.pending(10).map((entry) => entry.recordId)).toEqual([late]);
  });

  it("keeps what central refused, with its code and reason, until a later revision goes through", () => {
    const [stored, rejected, conflict] = [1_000, 2_000, 3_000].map((amount) =>
      store.ledger.record(cashPayment(amount), STAFF),
    );
    if (!stored || !rejected || !conflict) throw new Error("three records");
    const at = "2026-11-26T17:00:01.000Z";
    store.outbox.markSynced(
      [
        { recordId: stored.id, revision: 1, outcome: "stored", code: "IGNORED", reason: "not a refusal" },
        {
          recordId: rejected.id,
          revision: 1,
          outcome: "rejected",
          code: "SYNC_RECORD_INVALID",
          reason: "bad",
        },
        { recordId: conflict.id, revision: 1, outcome: "conflict", code: "SYNC_RECORD_CONFLICT" },
      ],
      at,
    );
    // Synced either way: central holds each one, so nothing is sent again.
    expect(store.outbox.depth().depth).toBe(0);
    expect(store.outbox.refused()).toEqual([
      {
        recordId: conflict.id,
        revision: 1,
        outcome: "conflict",
        code: "SYNC_RECORD_CONFLICT",
        reason: null,
        answeredAt: at,
        createdAt: expect.any(String),
      },
      {
        recordId: rejected.id,
        revision: 1,
        outcome: "rejected",
        code: "SYNC_RECORD_INVALID",
        reason: "bad",
        answeredAt: at,
        createdAt: expect.any(String),
      },
    ]);
    const stale = store.db.prepare("SELECT refusal_code FROM outbox WHERE record_id = ?").get(stored.id) as {
      refusal_code: string | null;
    };
    expect(stale.refusal_code).toBeNull();

    // A later revision that central stores makes the refusal good; one it refuses again does not.
    const revised = reviseRecord(store, rejected, { note: "fixed" });
    reviseRecord(store, conflict, { note: "again" });
    store.outbox.markSynced(
      [
        { recordId: revised.id, revision: 2, outcome: "stored" },
        { recordId: conflict.id, revision: 2, outcome: "rejected", code: "SYNC_RECORD_INVALID", reason: "x" },
      ],
      at,
    );
    expect(store.outbox.refused().map((row) => [row.recordId, row.revision])).toEqual([
      [conflict.id, 2],
      [conflict.id, 1],
    ]);
    expect(store.outbox.refused(1)).toHaveLength(1);
  });

  it("drops a refusal that central accepts later (its dead letter replayed), counting no row as moved", () => {
    const record = store.ledger.record(cashPayment(4_200), STAFF);
    const refused = { recordId: record.id, revision: 1 };
    store.outbox.markSynced(
      [{ ...refused, outcome: "rejected", code: "SYNC_RECORD_INVALID", reason: "too large" }],
      "2026-11-26T17:00:01.000Z",
    );
    expect(store.outbox.refused()).toHaveLength(1);
    // Another refusal of the same revision changes nothing; an acceptance makes it good.
    expect(
      store.outbox.markSynced([{ ...refused, outcome: "conflict", code: "X" }], "2026-11-26T17:00:02.000Z"),
    ).toBe(0);
    expect(store.outbox.refused()[0]?.code).toBe("SYNC_RECORD_INVALID");
    expect(store.outbox.markSynced([{ ...refused, outcome: "stored" }], "2026-11-26T17:05:00.000Z")).toBe(0);
    expect(store.outbox.refused()).toEqual([]);
    const row = store.db
      .prepare("SELECT central_outcome, refusal_code, synced_at FROM outbox WHERE record_id = ?")
      .get(record.id);
    expect(row).toEqual({
      central_outcome: "stored",
      refusal_code: null,
      synced_at: "2026-11-26T17:05:00.000Z",
    });
    expect(store.outbox.depth().depth).toBe(0);
  });
});
