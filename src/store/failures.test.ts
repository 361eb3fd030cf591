import { closeSync, openSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { expectKioskError } from "../../test/helpers/kiosk-error.js";
import { cashPayment, STAFF } from "../../test/helpers/payments.js";
import { SETTINGS, tempDir, testStore } from "../../test/helpers/store.js";
import { fixedClock } from "../core/clock.js";
import { ErrorCodes } from "../core/error-codes.js";
import { createMemoryLogger } from "../core/logger.js";
import { openKioskStore } from "./kiosk-store.js";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

const counts = (db: ReturnType<typeof testStore>["db"]) =>
  db
    .prepare(
      "SELECT (SELECT count(*) FROM payment_records) AS records, (SELECT count(*) FROM outbox) AS outbox, (SELECT count(*) FROM audit_log) AS audit",
    )
    .get();

describe("store failures", () => {
  it("a full disk gives STORE_DISK_FULL and never a half-written record", () => {
    const store = testStore({
      limits: { maxAmountMinor: 1_000_000, selfService: { allowPartial: true, minPartialMinor: 1 } },
    });
    cleanups.push(store.dispose);
    // Cap the file at its current size plus a little: SQLite reports SQLITE_FULL when it needs more.
    const pages = store.db.pragma("page_count", { simple: true }) as number;
    store.db.pragma(`max_page_count = ${pages + 2}`);
    let full = null;
    for (let attempt = 0; attempt < 500 && full === null; attempt += 1) {
      const before = counts(store.db);
      try {
        store.ledger.record({ ...cashPayment(1), note: "x".repeat(400) }, STAFF);
      } catch (error) {
        full = expectKioskError(() => {
          throw error;
        }, ErrorCodes.STORE_DISK_FULL);
        expect(counts(store.db)).toEqual(before);
      }
    }
    expect(full?.message).toContain("nothing was half-written");
    const { records, outbox, audit } = counts(store.db) as { records: number; outbox: number; audit: number };
    expect(outbox).toBe(records);
    expect(audit).toBe(records + 1); // + the shift opening
  });

  it("a read-only database gives STORE_READ_ONLY and changes nothing", () => {
    const store = testStore();
    cleanups.push(store.dispose);
    store.db.pragma("query_only = ON");
    expectKioskError(() => store.ledger.record(cashPayment(100), STAFF), ErrorCodes.STORE_READ_ONLY);
    store.db.pragma("query_only = OFF");
    expect(counts(store.db)).toEqual({ records: 0, outbox: 0, audit: 0 });
  });

  it("a damaged file is refused at start with STORE_DAMAGED", () => {
    const dir = tempDir();
    cleanups.push(dir.remove);
    const path = join(dir.path, "kiosk.sqlite");
    const open = () =>
      openKioskStore({
        path,
        deviceId: SETTINGS.deviceId,
        clock: fixedClock("2026-11-26T17:00:00Z"),
        logger: createMemoryLogger(),
      });
    const store = open();
    for (let index = 0; index < 200; index += 1)
      store.invoices.upsertClient(
        { id: `c${index}`, firstName: "A", lastName: "B".repeat(200), version: 1 },
        "2026-11-26T00:00:00Z",
      );
    store.db.pragma("wal_checkpoint(TRUNCATE)");
    store.close();
    // Scribble over the middle of the file, past the header, as a failing SD card might.
    const bytes = Buffer.alloc(4096 * 3, 0x5a);
    const fd = openSync(path, "r+");
    writeSync(fd, bytes, 0, bytes.length, 4096 * 2);
    closeSync(fd);
    expectKioskError(open, ErrorCodes.STORE_DAMAGED);
  });

  it("a file that is not a database is refused with STORE_DAMAGED", () => {
    const dir = tempDir();
    cleanups.push(dir.remove);
    const path = join(dir.path, "kiosk.sqlite");
    writeFileSync(path, "this is not a database, it is a shopping list ".repeat(100));
    expectKioskError(
      () =>
        openKioskStore({
          path,
          deviceId: SETTINGS.deviceId,
          clock: fixedClock("2026-11-26T17:00:00Z"),
          logger: createMemoryLogger(),
        }),
      ErrorCodes.STORE_DAMAGED,
    );
  });
});
