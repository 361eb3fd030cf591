import type { Migration } from "./migration.js";

/**
 * Remote management: the commands this kiosk has taken (so a replayed one is refused by its id),
 * and device-wide state that must survive a restart (the "Out of service" lock).
 */
export const remote: Migration = {
  version: 6,
  name: "remote",
  up(db) {
    db.exec(`
      CREATE TABLE remote_commands (
        command_id  TEXT PRIMARY KEY NOT NULL,
        name        TEXT NOT NULL,
        issued_by   TEXT NOT NULL,
        received_at TEXT NOT NULL,
        expires_at  TEXT NOT NULL,
        outcome     TEXT NOT NULL,
        code        TEXT
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE device_state (
        key        TEXT PRIMARY KEY NOT NULL,
        value      TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT, WITHOUT ROWID;
    `);
  },
};
