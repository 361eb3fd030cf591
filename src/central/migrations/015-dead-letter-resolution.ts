import type { CentralMigration } from "./migration.js";

/**
 * Dead letters are worked off: replayed after a fix (through the same ingest path, so the same checks
 * and the same idempotency) or dismissed with a reason. A letter stays in the table either way; its
 * status says whether it still needs someone. `resolution` is the person's reason for a dismissal
 * (`reason` keeps why ingest refused it). `payload_redacted` says card data was cut out of the payload
 * before it was kept, so the stored bytes are not what the kiosk sent and cannot be replayed; it is
 * null for letters kept before this migration, which did not record it.
 */
export const deadLetterResolution: CentralMigration = {
  version: 15,
  name: "dead-letter-resolution",
  sql: `
    ALTER TABLE dead_letters
      ADD COLUMN status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'replayed', 'dismissed')),
      ADD COLUMN resolved_at timestamptz,
      ADD COLUMN resolved_by text,
      ADD COLUMN resolution text,
      ADD COLUMN replay_attempts integer NOT NULL DEFAULT 0,
      ADD COLUMN last_replay_at timestamptz,
      ADD COLUMN payload_redacted boolean;
    CREATE INDEX dead_letters_open ON dead_letters (id) WHERE status = 'open';
  `,
};
