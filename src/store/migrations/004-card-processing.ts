import type { Migration } from "./migration.js";

/**
 * What card processing needs to be crash-safe:
 * - processor_intents: every call that moves money is written here (with its idempotency key)
 *   before the processor is called, in the same transaction as the record it serves; an intent still
 *   open at start is reconciled by looking the key up at the processor.
 * - offline_card_payments: reader-encrypted card data (never clear) kept for store-and-forward
 *   while the processor is unreachable; wiped once forwarded.
 * - saved_cards: processor tokens per client (brand, last 4, expiry; never the number).
 * - collection_attempts: charges of due future payments to saved cards, for the retry policy.
 */
export const cardProcessing: Migration = {
  version: 4,
  name: "card-processing",
  up(db) {
    db.exec(`
      CREATE TABLE processor_intents (
        idempotency_key TEXT PRIMARY KEY NOT NULL,
        record_id       TEXT NOT NULL REFERENCES payment_records(id),
        operation       TEXT NOT NULL CHECK (operation IN ('sale', 'refund', 'void', 'collect')),
        amount_minor    INTEGER NOT NULL,
        currency        TEXT NOT NULL,
        state           TEXT NOT NULL CHECK (state IN ('open', 'deferred', 'done', 'failed')),
        outcome         TEXT,
        created_at      TEXT NOT NULL,
        updated_at      TEXT NOT NULL
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX processor_intents_unfinished ON processor_intents(state) WHERE state IN ('open', 'deferred');

      CREATE TABLE offline_card_payments (
        record_id     TEXT PRIMARY KEY NOT NULL REFERENCES payment_records(id),
        payload       TEXT,
        amount_minor  INTEGER NOT NULL,
        created_at    TEXT NOT NULL,
        forwarded_at  TEXT,
        outcome       TEXT,
        acknowledged_at TEXT
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE saved_cards (
        token      TEXT PRIMARY KEY NOT NULL,
        client_id  TEXT NOT NULL,
        brand      TEXT,
        last4      TEXT NOT NULL CHECK (length(last4) = 4),
        exp_month  INTEGER,
        exp_year   INTEGER,
        created_at TEXT NOT NULL,
        removed_at TEXT
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX saved_cards_by_client ON saved_cards(client_id);

      CREATE TABLE collection_attempts (
        record_id    TEXT NOT NULL REFERENCES payment_records(id),
        attempt      INTEGER NOT NULL,
        at           TEXT NOT NULL,
        outcome      TEXT NOT NULL,
        next_try_at  TEXT,
        PRIMARY KEY (record_id, attempt)
      ) STRICT, WITHOUT ROWID;
    `);
  },
};
