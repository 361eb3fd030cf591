import type { Database, Statement } from "better-sqlite3";
import type { Ledger } from "../../src/checkout/ledger.js";
import { systemClock } from "../../src/core/clock.js";
import { createMemoryLogger } from "../../src/core/logger.js";
import { openDatabase } from "../../src/store/database.js";
import { type KioskStore, openKioskStore } from "../../src/store/kiosk-store.js";
import { invoice } from "../../test/helpers/payments.js";
import { ledgerOn, SETTINGS } from "../../test/helpers/store.js";

/** A studio's invoices carry a handful of records each: the benches spread payments over this many. */
export const BENCH_INVOICES = 500;

/** The invoice of the n-th payment. */
export const benchInvoiceId = (index: number): string => `inv-${index % BENCH_INVOICES}`;

/**
 * A kiosk store at `path` (real migrations and pragmas) holding the bench's invoices, each of 10^9,
 * with the ledger over it.
 */
export function benchStore(path: string): KioskStore & { readonly ledger: Ledger } {
  const store = openKioskStore({
    path,
    deviceId: SETTINGS.deviceId,
    clock: systemClock,
    logger: createMemoryLogger(),
  });
  for (let index = 0; index < BENCH_INVOICES; index += 1) {
    store.invoices.upsertInvoice(
      invoice({ id: benchInvoiceId(index), number: `B-${index}`, totalMinor: 10 ** 9 }),
      new Date().toISOString(),
    );
  }
  return { ...store, ledger: ledgerOn(store, SETTINGS, systemClock) };
}

/** The baseline: a payment stored as one row (its JSON), opened like the kiosk's (same pragmas, disk). */
export interface BareTable {
  readonly db: Database;
  readonly insert: Statement<[string]>;
}

export function bareTable(path: string): BareTable {
  const db = openDatabase(path);
  db.exec("CREATE TABLE payments (id INTEGER PRIMARY KEY, record TEXT NOT NULL)");
  return { db, insert: db.prepare("INSERT INTO payments (record) VALUES (?)") };
}
