import type { Migration } from "./migration.js";

/** Saved cards are synced with central: each change waits (synced_at NULL) until central acks it. */
export const savedCardSync: Migration = {
  version: 7,
  name: "saved-card-sync",
  up(db) {
    db.exec(`
      ALTER TABLE saved_cards ADD COLUMN synced_at TEXT;
      CREATE INDEX saved_cards_unsynced ON saved_cards(created_at) WHERE synced_at IS NULL;
    `);
  },
};
