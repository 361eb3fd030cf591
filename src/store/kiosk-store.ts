import { join } from "node:path";
import type { Database } from "better-sqlite3";
import type { Clock } from "../core/clock.js";
import { newId as makeId } from "../core/ids.js";
import type { Logger } from "../core/logger.js";
import { AuditLog } from "./audit-log.js";
import { CollectionBook } from "./collection-book.js";
import { openDatabase, quickCheck } from "./database.js";
import { IntentBook } from "./intent-book.js";
import { InvoiceCache } from "./invoice-cache.js";
import { KioskLock } from "./kiosk-lock.js";
import { Ledger, type LedgerSettings } from "./ledger.js";
import { migrate } from "./migrate.js";
import { OfflineCardStore } from "./offline-card-store.js";
import { Outbox } from "./outbox.js";
import { RecordStore } from "./record-store.js";
import { RemoteCommandLog } from "./remote-command-log.js";
import { SavedCardBook } from "./saved-card-book.js";
import { ShiftBook } from "./shift-book.js";

export const DATABASE_FILE = "kiosk.sqlite";

export function databasePath(dataDir: string): string {
  return join(dataDir, DATABASE_FILE);
}

/** The kiosk's local store, open, checked and migrated, with each of its parts. */
export interface KioskStore {
  readonly db: Database;
  readonly audit: AuditLog;
  readonly invoices: InvoiceCache;
  readonly records: RecordStore;
  readonly outbox: Outbox;
  readonly shifts: ShiftBook;
  readonly intents: IntentBook;
  readonly offlineCards: OfflineCardStore;
  readonly savedCards: SavedCardBook;
  readonly collections: CollectionBook;
  readonly lock: KioskLock;
  readonly remoteCommands: RemoteCommandLog;
  readonly ledger: Ledger;
  close(): void;
}

export interface StoreOptions {
  readonly path: string;
  readonly settings: LedgerSettings;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly newId?: () => string;
}

/**
 * Opens the database, runs PRAGMA quick_check (a damaged file throws STORE_DAMAGED before anything
 * is written), migrates it to the latest schema and wires the parts together.
 */
export function openKioskStore(options: StoreOptions): KioskStore {
  const db = openDatabase(options.path);
  try {
    quickCheck(db);
    migrate(db, options.logger);
  } catch (error) {
    db.close();
    throw error;
  }
  const audit = new AuditLog(db);
  const invoices = new InvoiceCache(db);
  const records = new RecordStore(db, audit);
  const shifts = new ShiftBook(db, audit, options.settings.deviceId);
  const intents = new IntentBook(db);
  const ledger = new Ledger(
    { db, records, invoices, shifts, intents, clock: options.clock, newId: options.newId ?? makeId },
    options.settings,
  );
  return {
    db,
    audit,
    invoices,
    records,
    outbox: new Outbox(db),
    shifts,
    intents,
    offlineCards: new OfflineCardStore(db),
    savedCards: new SavedCardBook(db),
    collections: new CollectionBook(db),
    lock: new KioskLock(db, audit, options.settings.deviceId, options.clock),
    remoteCommands: new RemoteCommandLog(db),
    ledger,
    close: () => {
      if (db.open) db.close();
    },
  };
}
