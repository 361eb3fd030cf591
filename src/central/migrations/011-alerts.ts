import type { CentralMigration } from "./migration.js";

/**
 * Fleet alerts (issue #17): one row per alert, raised when a rule starts to hold for a kiosk and
 * cleared when it ends; the unique partial index allows one open alert per kiosk and rule, so
 * raising is idempotent even with several central processes. Each email and web hook sent for an
 * alert is recorded with its outcome.
 */
export const alerts: CentralMigration = {
  version: 11,
  name: "alerts",
  sql: `
    CREATE TABLE alerts (
      id         bigserial PRIMARY KEY,
      device_id  text NOT NULL,
      rule       text NOT NULL,
      raised_at  timestamptz NOT NULL,
      cleared_at timestamptz,
      detail     text NOT NULL,
      CHECK (cleared_at IS NULL OR cleared_at >= raised_at)
    );
    CREATE UNIQUE INDEX alerts_one_open ON alerts (device_id, rule) WHERE cleared_at IS NULL;
    CREATE INDEX alerts_by_device ON alerts (device_id, raised_at DESC);
    CREATE INDEX alerts_by_time ON alerts (raised_at DESC);

    CREATE TABLE alert_notifications (
      id         bigserial PRIMARY KEY,
      alert_id   bigint NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
      event      text NOT NULL CHECK (event IN ('raised', 'cleared')),
      channel    text NOT NULL CHECK (channel IN ('email', 'webhook')),
      outcome    text NOT NULL CHECK (outcome IN ('sent', 'failed')),
      attempts   integer NOT NULL,
      error      text,
      at         timestamptz NOT NULL
    );
    CREATE INDEX alert_notifications_by_alert ON alert_notifications (alert_id);
  `,
};
