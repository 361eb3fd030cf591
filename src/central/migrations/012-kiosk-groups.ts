import type { CentralMigration } from "./migration.js";

/**
 * Groups of kiosks: each kiosk's studio and tags as central's operators set them (at provisioning or
 * on the dashboard) — central's own truth, apart from the studio a kiosk reports about itself — and
 * every command or configuration sent to a group, with each kiosk it went to. A kiosk's outcome is
 * read from its own command or desired configuration row, so it shows whatever those rows say.
 */
export const kioskGroups: CentralMigration = {
  version: 12,
  name: "kiosk-groups",
  sql: `
    CREATE TABLE kiosk_placements (
      device_id text PRIMARY KEY,
      studio    text CHECK (studio IS NULL OR char_length(studio) BETWEEN 1 AND 80),
      tags      text[] NOT NULL DEFAULT '{}' CHECK (cardinality(tags) <= 12),
      set_by    text NOT NULL,
      set_at    timestamptz NOT NULL
    );
    CREATE INDEX kiosk_placements_by_studio ON kiosk_placements (studio);
    CREATE INDEX kiosk_placements_by_tag ON kiosk_placements USING gin (tags);

    CREATE TABLE group_actions (
      id          text PRIMARY KEY,
      group_kind  text NOT NULL CHECK (group_kind IN ('studio', 'tag')),
      group_name  text NOT NULL,
      kind        text NOT NULL CHECK (kind IN ('command', 'config')),
      -- The command's name, or null for a configuration.
      name        text,
      -- The command's arguments, or the settings pushed over each kiosk's own.
      content     jsonb NOT NULL,
      issued_by   text NOT NULL,
      issued_at   timestamptz NOT NULL
    );
    CREATE INDEX group_actions_by_time ON group_actions (issued_at);

    CREATE TABLE group_action_kiosks (
      action_id      text NOT NULL REFERENCES group_actions (id),
      device_id      text NOT NULL,
      command_id     text,
      config_version integer,
      -- Central refused this kiosk's part (a coded message): nothing was signed for it.
      refusal        text,
      PRIMARY KEY (action_id, device_id)
    );
  `,
};
