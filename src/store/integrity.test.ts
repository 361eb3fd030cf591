import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cashPayment, STAFF } from "../../test/helpers/payments.js";
import { type TestStore, testStore } from "../../test/helpers/store.js";
import { checkIntegrity } from "./integrity.js";

describe("db check finds tampering", () => {
  let store: TestStore;
  beforeEach(() => {
    store = testStore();
    for (const amount of [1_000, 2_000, 3_000]) store.ledger.record(cashPayment(amount), STAFF);
    expect(checkIntegrity(store.db)).toMatchObject({ ok: true, records: 3, auditEntries: 4 });
  });
  afterEach(() => store.dispose());

  const problems = (): readonly string[] => checkIntegrity(store.db).problems;
  const withoutGuards = (sql: string): void => {
    store.db.exec("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;");
    store.db.exec(sql);
  };

  it("refuses casual edits of the audit log outright", () => {
    expect(() => store.db.exec("UPDATE audit_log SET actor = 'someone' WHERE seq = 2")).toThrow(
      /append-only/,
    );
    expect(() => store.db.exec("DELETE FROM audit_log WHERE seq = 2")).toThrow(/append-only/);
  });

  it("an edited payment record", () => {
    store.db.exec("UPDATE payment_records SET amount_minor = 1 WHERE amount_minor = 2000");
    expect(problems()).toEqual([
      expect.stringMatching(/^record .* differs from what its audit entry says was written$/),
    ]);
  });

  it("an edited audit row", () => {
    withoutGuards("UPDATE audit_log SET actor = 'someone-else' WHERE seq = 3");
    expect(problems()).toContain("audit row 3 was changed after it was written");
  });

  it("a deleted audit row in the middle", () => {
    withoutGuards("DELETE FROM audit_log WHERE seq = 2");
    expect(problems()).toEqual(expect.arrayContaining(["audit row 2 is missing (next is 3)"]));
  });

  it("the last audit rows cut off", () => {
    withoutGuards("DELETE FROM audit_log WHERE seq = 4");
    expect(problems()).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/ends at row 3 but its head says 4/),
        expect.stringMatching(/no audit entry|differs/),
      ]),
    );
  });

  it("a deleted outbox row", () => {
    store.db.exec("DELETE FROM outbox WHERE seq = 1");
    expect(problems()).toEqual([expect.stringMatching(/missing outbox rows/)]);
  });
});
