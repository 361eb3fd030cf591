import type { Migration } from "./migration.js";

/**
 * What central answered for each outbox row. A revision central refused (conflict, rejected) is
 * still marked synced — central keeps it in its dead letters and sending it again changes nothing —
 * but it stays visible here with central's code and reason, for staff to follow up.
 */
export const syncRefusals: Migration = {
  version: 9,
  name: "sync-refusals",
  up(db) {
    db.exec(`
      ALTER TABLE outbox ADD COLUMN central_outcome TEXT
        CHECK (central_outcome IN ('stored', 'superseded', 'duplicate', 'conflict', 'rejected'));
      ALTER TABLE outbox ADD COLUMN refusal_code TEXT;
      ALTER TABLE outbox ADD COLUMN refusal_reason TEXT;
      CREATE INDEX outbox_refused ON outbox(seq) WHERE central_outcome IN ('conflict', 'rejected');
    `);
  },
};
