import type { Migration } from "./migration.js";

/** The invoice and client cache from central, the payment records, and the outbox that syncs them. */
export const ledger: Migration = {
  version: 1,
  name: "ledger",
  up(db) {
    db.exec(`
      CREATE TABLE clients (
        id            TEXT PRIMARY KEY,
        first_name    TEXT NOT NULL,
        last_name     TEXT NOT NULL,
        last_name_key TEXT NOT NULL,
        version       INTEGER NOT NULL,
        updated_at    TEXT NOT NULL
      ) STRICT;

      CREATE TABLE invoices (
        id          TEXT PRIMARY KEY,
        number      TEXT NOT NULL UNIQUE,
        client_id   TEXT NOT NULL REFERENCES clients(id),
        session_id  TEXT,
        lines_json  TEXT NOT NULL,
        total_minor INTEGER NOT NULL CHECK (total_minor >= 0),
        currency    TEXT NOT NULL,
        version     INTEGER NOT NULL,
        updated_at  TEXT NOT NULL
      ) STRICT;
      CREATE INDEX invoices_by_client ON invoices(client_id);

      -- WITHOUT ROWID: ids are UUIDv7 (time-ordered), so the table is kept in time order and a new
      -- record lands on the last page, with no separate index for the id.
      CREATE TABLE payment_records (
        id                TEXT PRIMARY KEY NOT NULL,
        revision          INTEGER NOT NULL CHECK (revision >= 1),
        kind              TEXT NOT NULL CHECK (kind IN ('payment', 'refund')),
        invoice_id        TEXT NOT NULL REFERENCES invoices(id),
        invoice_number    TEXT NOT NULL,
        client_id         TEXT NOT NULL,
        session_id        TEXT,
        refund_of         TEXT REFERENCES payment_records(id),
        amount_minor      INTEGER NOT NULL CHECK (amount_minor > 0),
        currency          TEXT NOT NULL,
        overpayment_minor INTEGER,
        payment_date      TEXT,
        refundable        INTEGER NOT NULL CHECK (refundable IN (0, 1)),
        refundable_until  TEXT,
        future_payment    INTEGER NOT NULL CHECK (future_payment IN (0, 1)),
        due_date          TEXT,
        method_id         TEXT NOT NULL,
        method_name       TEXT NOT NULL,
        method_type       TEXT NOT NULL,
        method_json       TEXT NOT NULL,
        status            TEXT NOT NULL
          CHECK (status IN ('scheduled', 'pending', 'authorizing', 'completed', 'declined', 'voided')),
        decline_code      TEXT,
        staff_id          TEXT,
        device_id         TEXT NOT NULL,
        shift_id          TEXT,
        note              TEXT,
        created_at        TEXT NOT NULL,
        updated_at        TEXT NOT NULL,
        voided_at         TEXT,
        voided_by         TEXT
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX payment_records_by_invoice ON payment_records(invoice_id);
      CREATE INDEX payment_records_by_shift ON payment_records(shift_id);

      -- Every change to a record adds a row here in the same transaction; the sync agent relays
      -- them in seq order and marks them synced only when central acknowledges its commit.
      -- seq is the rowid: it only grows, as long as pruning never deletes the newest row.
      CREATE TABLE outbox (
        seq        INTEGER PRIMARY KEY,
        record_id  TEXT NOT NULL REFERENCES payment_records(id),
        revision   INTEGER NOT NULL,
        payload    TEXT NOT NULL,
        created_at TEXT NOT NULL,
        synced_at  TEXT,
        UNIQUE (record_id, revision)
      ) STRICT;
    `);
  },
};
