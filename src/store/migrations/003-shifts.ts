import type { Migration } from "./migration.js";

/** Shifts: records belong to the shift they were taken in (voids, X and Z reports, drawer counts). */
export const shifts: Migration = {
  version: 3,
  name: "shifts",
  up(db) {
    db.exec(`
      CREATE TABLE shifts (
        id         TEXT PRIMARY KEY,
        device_id  TEXT NOT NULL,
        opened_at  TEXT NOT NULL,
        opened_by  TEXT,
        closed_at  TEXT,
        closed_by  TEXT
      ) STRICT;
      CREATE UNIQUE INDEX shifts_one_open ON shifts((closed_at IS NULL)) WHERE closed_at IS NULL;
    `);
  },
};
