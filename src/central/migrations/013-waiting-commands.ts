import type { CentralMigration } from "./migration.js";

/**
 * Commands that wait: a command for an offline kiosk is kept, signed, in `commands` as `queued` and
 * published when the kiosk is online again, until it expires. `signed` is the command exactly as
 * central signed it when the operator sent it: what is published, however late. A delivery in
 * progress holds a short claim (`claimed_until`), so two central processes never publish one
 * command at once; a claim left by a process that died runs out and the command is taken again.
 * Commands from before this version had no stored signature and can never be sent again: the ones
 * that did not go out are `not-sent`, the ones the broker took are `delivered`.
 */
export const waitingCommands: CentralMigration = {
  version: 13,
  name: "waiting-commands",
  sql: `
    ALTER TABLE commands DROP CONSTRAINT commands_delivery_check;
    UPDATE commands SET delivery = 'delivered' WHERE delivery = 'sent';
    UPDATE commands SET delivery = 'not-sent' WHERE delivery IN ('sending', 'kiosk-offline', 'broker-unreachable');
    -- queued: waits for its kiosk to be online · delivered: the broker took it (PUBACK) while the
    -- kiosk was online · expired: its expiry passed before it could be delivered (never published
    -- after that) · not-sent: before version 13, a command that did not go out.
    ALTER TABLE commands ADD CONSTRAINT commands_delivery_check
      CHECK (delivery IN ('queued', 'delivered', 'expired', 'not-sent'));
    ALTER TABLE commands ADD COLUMN signed jsonb;
    ALTER TABLE commands ADD COLUMN claimed_until timestamptz;
    ALTER TABLE commands ADD COLUMN delivered_at timestamptz;
    ALTER TABLE commands ADD COLUMN expired_at timestamptz;
    ALTER TABLE commands ADD COLUMN attempts integer NOT NULL DEFAULT 0;
    ALTER TABLE commands ADD CONSTRAINT commands_queued_signed CHECK (delivery <> 'queued' OR signed IS NOT NULL);
    CREATE INDEX commands_waiting ON commands (device_id, issued_at) WHERE delivery = 'queued';
  `,
};
