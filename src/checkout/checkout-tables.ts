import type { CollectionBook } from "../store/collection-book.js";
import type { IntentBook } from "../store/intent-book.js";
import type { InvoiceCache } from "../store/invoice-cache.js";
import type { KeyedEntryBook } from "../store/keyed-entry-book.js";
import type { KioskLock } from "../store/kiosk-lock.js";
import type { OfflineCardStore } from "../store/offline-card-store.js";
import type { Outbox } from "../store/outbox.js";
import type { RecordStore } from "../store/record-store.js";
import type { SavedCardBook } from "../store/saved-card-book.js";
import type { ShiftBook } from "../store/shift-book.js";
import type { Transact } from "../store/transaction.js";
import type { Ledger } from "./ledger.js";

/**
 * What checkout's services work on: the store's tables they read, and the ledger that writes records
 * into them. Each service takes the few it uses (a `Pick` of this), never the whole store.
 */
export interface CheckoutTables {
  readonly ledger: Ledger;
  readonly transact: Transact;
  readonly invoices: InvoiceCache;
  readonly records: RecordStore;
  readonly intents: IntentBook;
  readonly offlineCards: OfflineCardStore;
  readonly savedCards: SavedCardBook;
  readonly collections: CollectionBook;
  readonly keyedEntries: KeyedEntryBook;
  readonly shifts: ShiftBook;
  readonly outbox: Outbox;
  readonly lock: KioskLock;
}
