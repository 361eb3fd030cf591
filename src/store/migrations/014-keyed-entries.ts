import type { Migration } from "./migration.js";

/**
 * Every keyed entry on a processor's hosted form, and what becomes of the card it stored there
 * (Authorize.Net keeps it as a customer profile in the studio's account). A card the client did not
 * agree to keep is deleted once its payment's outcome is known, retried until the processor
 * confirms: `open` (the form is in use) → `charging` (a payment's intent is charged to it) →
 * `to-delete` → `deleted`, or `kept` (approved, with the client's consent: a saved card).
 */
export const keyedEntries: Migration = {
  version: 14,
  name: "keyed-entries",
  up(db) {
    db.exec(`
      CREATE TABLE keyed_entries (
        session_id   TEXT PRIMARY KEY,
        opened_at    TEXT NOT NULL,
        state        TEXT NOT NULL
                     CHECK (state IN ('open', 'charging', 'to-delete', 'deleted', 'kept')),
        intent_key   TEXT,
        consent      INTEGER NOT NULL DEFAULT 0 CHECK (consent IN (0, 1)),
        attempts     INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        next_try_at  TEXT,
        last_outcome TEXT,
        finished_at  TEXT
      ) STRICT;
      CREATE INDEX keyed_entries_unfinished ON keyed_entries (state)
        WHERE state IN ('open', 'charging', 'to-delete');
      CREATE INDEX keyed_entries_by_intent ON keyed_entries (intent_key) WHERE intent_key IS NOT NULL;
    `);
  },
};
