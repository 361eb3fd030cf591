import type { Migration } from "./migration.js";

/**
 * An append-only, hash-chained audit log: each row's hash covers its content and the previous
 * row's hash, and audit_head holds the last one, so an edited, removed or truncated row is found by
 * `spectra-kiosk db check`. Triggers refuse casual UPDATE and DELETE.
 */
export const auditLog: Migration = {
  version: 2,
  name: "audit-log",
  up(db) {
    db.exec(`
      CREATE TABLE audit_log (
        seq       INTEGER PRIMARY KEY,
        at        TEXT NOT NULL,
        device_id TEXT NOT NULL,
        actor     TEXT,
        action    TEXT NOT NULL,
        entity    TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        details   TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash      TEXT NOT NULL
      ) STRICT;

      CREATE TABLE audit_head (
        id   INTEGER PRIMARY KEY CHECK (id = 1),
        seq  INTEGER NOT NULL,
        hash TEXT NOT NULL
      ) STRICT;

      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
    `);
  },
};
