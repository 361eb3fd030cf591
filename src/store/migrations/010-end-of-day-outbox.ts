import type { Migration } from "./migration.js";

/**
 * The end-of-day outbox: shifts, drawer counts and X/Z reports wait here for central as records wait
 * in `outbox` — written in the same transaction as the change, marked synced only on central's ack.
 * Shifts and drawer counts made before this version are queued too, so central gets the history.
 */
export const endOfDayOutbox: Migration = {
  version: 10,
  name: "end-of-day-outbox",
  up(db) {
    db.exec(`
      CREATE TABLE end_of_day_outbox (
        seq        INTEGER PRIMARY KEY AUTOINCREMENT,
        item_id    TEXT NOT NULL,
        revision   INTEGER NOT NULL CHECK (revision >= 1),
        type       TEXT NOT NULL CHECK (type IN ('shift', 'drawer-count', 'report')),
        payload    TEXT NOT NULL,
        created_at TEXT NOT NULL,
        synced_at  TEXT,
        central_outcome TEXT,
        UNIQUE (item_id, revision)
      ) STRICT;
      CREATE INDEX end_of_day_outbox_unsynced ON end_of_day_outbox(seq) WHERE synced_at IS NULL;

      INSERT INTO end_of_day_outbox (item_id, revision, type, payload, created_at)
      SELECT id, 1, 'shift', json_object('type', 'shift', 'id', id, 'revision', 1, 'deviceId', device_id,
               'openedAt', opened_at, 'openedBy', opened_by, 'closedAt', NULL, 'closedBy', NULL), opened_at
        FROM shifts ORDER BY opened_at, id;
      INSERT INTO end_of_day_outbox (item_id, revision, type, payload, created_at)
      SELECT id, 2, 'shift', json_object('type', 'shift', 'id', id, 'revision', 2, 'deviceId', device_id,
               'openedAt', opened_at, 'openedBy', opened_by, 'closedAt', closed_at, 'closedBy', closed_by), closed_at
        FROM shifts WHERE closed_at IS NOT NULL ORDER BY closed_at, id;
      INSERT INTO end_of_day_outbox (item_id, revision, type, payload, created_at)
      SELECT id, 1, 'drawer-count', json_object('type', 'drawer-count', 'id', id, 'revision', 1,
               'deviceId', device_id, 'shiftId', shift_id, 'currency', currency, 'countedMinor', counted_minor,
               'expectedMinor', expected_minor, 'differenceMinor', difference_minor, 'countedBy', counted_by,
               'countedAt', counted_at), counted_at
        FROM drawer_counts ORDER BY counted_at, id;
    `);
  },
};
