import type { Migration } from "./migration.js";

/** The sync agent's own progress, kept with the data it describes (the catalog cursor). */
export const syncState: Migration = {
  version: 5,
  name: "sync-state",
  up(db) {
    db.exec(`
      CREATE TABLE sync_state (
        key        TEXT PRIMARY KEY,
        value      TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
    `);
  },
};
