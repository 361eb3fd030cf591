import type { Migration } from "./migration.js";

/** Drawer counts: what staff counted in the cash drawer, what the shift expected, and the difference. */
export const drawerCounts: Migration = {
  version: 8,
  name: "drawer-counts",
  up(db) {
    db.exec(`
      CREATE TABLE drawer_counts (
        id               TEXT PRIMARY KEY NOT NULL,
        shift_id         TEXT NOT NULL REFERENCES shifts(id),
        device_id        TEXT NOT NULL,
        currency         TEXT NOT NULL,
        counted_minor    INTEGER NOT NULL CHECK (counted_minor >= 0),
        expected_minor   INTEGER NOT NULL,
        difference_minor INTEGER NOT NULL CHECK (difference_minor = counted_minor - expected_minor),
        counted_by       TEXT NOT NULL,
        counted_at       TEXT NOT NULL
      ) STRICT;
      CREATE INDEX drawer_counts_by_shift ON drawer_counts(shift_id, counted_at);
    `);
  },
};
