import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { systemClock } from "../../src/core/clock.js";
import { createMemoryLogger } from "../../src/core/logger.js";
import type { Invoice } from "../../src/payments/invoice.js";
import type { PaymentRecord } from "../../src/payments/payment-record.js";
import type { KioskStore } from "../../src/store/kiosk-store.js";
import { databasePath, openKioskStore } from "../../src/store/kiosk-store.js";
import { sampleRecord } from "./sync-fixtures.js";

/** A scratch directory removed by the returned function. */
export function scratchDir(prefix = "spectra-test-"): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** The kiosk's store in `dataDir`, as the kiosk opens it. */
export function openTestStore(dataDir: string, deviceId: string): KioskStore {
  return openKioskStore({
    path: databasePath(dataDir),
    deviceId,
    clock: systemClock,
    logger: createMemoryLogger(),
  });
}

/**
 * Writes `count` completed cash payments against `invoice` through the RecordStore (record, outbox
 * row and audit row each), `perTransaction` at a time. Amounts come from `amount(i)`.
 */
export function seedRecords(
  store: KioskStore,
  invoice: Invoice,
  deviceId: string,
  count: number,
  amount: (index: number) => number = (index) => 100 + (index % 997),
  perTransaction = 500,
): PaymentRecord[] {
  store.invoices.upsertInvoice(invoice, new Date().toISOString());
  const records: PaymentRecord[] = [];
  for (let start = 0; start < count; start += perTransaction) {
    store.db.transaction(() => {
      for (let i = start; i < Math.min(count, start + perTransaction); i++) {
        const record = sampleRecord(invoice, deviceId, amount(i));
        store.records.insert(record, "csh");
        records.push(record);
      }
    })();
  }
  return records;
}

/** The next revision of a record (as a processor's answer or a void would make it). */
export function reviseRecord(
  store: KioskStore,
  record: PaymentRecord,
  change: Partial<PaymentRecord>,
): PaymentRecord {
  const next: PaymentRecord = {
    ...record,
    ...change,
    revision: record.revision + 1,
    updatedAt: new Date().toISOString(),
  };
  const ok = store.db.transaction(() => store.records.update(next, "mgr", "record.revised"))();
  if (!ok) throw new Error(`record ${record.id} changed meanwhile`);
  return next;
}

/** Count, sum of amounts and sum of revisions of the kiosk's records, and its unsynced outbox rows. */
export function kioskTotals(store: KioskStore): {
  count: number;
  amount: number;
  revisions: number;
  unsynced: number;
} {
  const row = store.db
    .prepare(
      "SELECT count(*) AS count, coalesce(sum(amount_minor), 0) AS amount, coalesce(sum(revision), 0) AS revisions FROM payment_records",
    )
    .get() as { count: number; amount: number; revisions: number };
  return { ...row, unsynced: store.outbox.depth().depth };
}
