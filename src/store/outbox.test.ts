import { afterEach, beforeEach, describe, expect, it } from "vitest";
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
});
