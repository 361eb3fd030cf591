import { join } from "node:path";
import type { Database } from "better-sqlite3";
import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import { AuditLog } from "./audit-log.js";
import { CollectionBook } from "./collection-book.js";
import { openDatabase, quickCheck } from "./database.js";
import { DrawerCountBook } from "./drawer-count-book.js";
import { ElsewhereBook } from "./elsewhere-book.js";
import { EndOfDayOutbox } from "./end-of-day-outbox.js";
import { IntentBook } from "./intent-book.js";
import { InvoiceCache } from "./invoice-cache.js";
import { KeyedEntryBook } from "./keyed-entry-book.js";
import { KioskLock } from "./kiosk-lock.js";
import { migrate } from "./migrate.js";
import { OfflineCardStore } from "./offline-card-store.js";
import { Outbox } from "./outbox.js";
import { RecordStore } from "./record-store.js";
import { RemoteCommandLog } from "./remote-command-log.js";
import { SavedCardBook } from "./saved-card-book.js";
import { ShiftBook } from "./shift-book.js";
import { immediateTransactions, type Transact } from "./transaction.js";

export const DATABASE_FILE = "kiosk.sqlite";

export function databasePath(dataDir: string): string {
  return join(dataDir, DATABASE_FILE);
}

/**
 * The kiosk's local store, open, checked and migrated, with each of its tables. The composition root
 * opens it and hands each part the tables it uses; the services that write across tables (the
 * ledger, the shift desk) live in checkout/ and run their writes through `transact`.
 */
export interface KioskStore {
  readonly db: Database;
  readonly transact: Transact;
  readonly audit: AuditLog;
  readonly invoices: InvoiceCache;
  /** What central says was paid on each invoice at other kiosks and in Spectra. */
  readonly elsewhere: ElsewhereBook;
  readonly records: RecordStore;
  readonly outbox: Outbox;
  /** Shifts, drawer counts and X/Z reports waiting for central. */
  readonly endOfDay: EndOfDayOutbox;
  readonly shifts: ShiftBook;
  readonly drawerCounts: DrawerCountBook;
  readonly intents: IntentBook;
  readonly offlineCards: OfflineCardStore;
  readonly savedCards: SavedCardBook;
  readonly collections: CollectionBook;
  /** Keyed entries on the processor's hosted form, and the cards they stored there, until deleted or kept. */
  readonly keyedEntries: KeyedEntryBook;
  readonly lock: KioskLock;
  readonly remoteCommands: RemoteCommandLog;
  close(): void;
}

export interface StoreOptions {
  readonly path: string;
  /** This kiosk: shifts, drawer counts and the lock are written in its name. */
  readonly deviceId: string;
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * Opens the database, runs PRAGMA quick_check (a damaged file throws STORE_DAMAGED before anything
 * is written), migrates it to the latest schema and opens its tables.
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
  const endOfDay = new EndOfDayOutbox(db);
  const elsewhere = new ElsewhereBook(db);
  return {
    db,
    transact: immediateTransactions(db),
    audit,
    invoices: new InvoiceCache(db, elsewhere),
    elsewhere,
    records: new RecordStore(db, audit),
    outbox: new Outbox(db),
    endOfDay,
    shifts: new ShiftBook(db, audit, options.deviceId, endOfDay),
    drawerCounts: new DrawerCountBook(db, audit, options.deviceId, endOfDay),
    intents: new IntentBook(db),
    offlineCards: new OfflineCardStore(db),
    savedCards: new SavedCardBook(db),
    collections: new CollectionBook(db),
    keyedEntries: new KeyedEntryBook(db, options.clock),
    lock: new KioskLock(db, audit, options.deviceId, options.clock),
    remoteCommands: new RemoteCommandLog(db),
    close: () => {
      if (db.open) db.close();
    },
  };
}
