import type { CentralMigration } from "./migration.js";

/**
 * The fleet dashboard: telemetry over time, what command results carry, dashboard users and their
 * sessions, every command central signed, every desired configuration it pushed, and the audit log.
 */
export const dashboard: CentralMigration = {
  version: 3,
  name: "dashboard",
  sql: `
    -- One row per telemetry report kept (the newest per device is still devices.telemetry). The
    -- numbers charts draw are columns; driver health stays as reported.
    CREATE TABLE telemetry_history (
      id                          bigserial PRIMARY KEY,
      device_id                   text NOT NULL,
      at                          timestamptz NOT NULL,
      software_version            text NOT NULL,
      uptime_seconds              bigint NOT NULL,
      outbox_depth                integer NOT NULL,
      oldest_unsynced_age_seconds integer,
      disk_free_bytes             bigint,
      drivers                     jsonb NOT NULL
    );
    CREATE INDEX telemetry_history_by_device ON telemetry_history (device_id, at);
    CREATE INDEX telemetry_history_by_time ON telemetry_history (at);

    -- What a command produced (send-diagnostics: health, versions, last errors, configuration).
    ALTER TABLE command_results ADD COLUMN data jsonb;
    CREATE INDEX command_results_by_device ON command_results (device_id, at);

    CREATE TABLE dashboard_users (
      name          text PRIMARY KEY,
      -- scrypt$<log2 N>$<r>$<p>$<salt>$<hash>: never the password.
      password_hash text NOT NULL,
      created_at    timestamptz NOT NULL,
      updated_at    timestamptz NOT NULL
    );

    -- A session is found by the sha256 of its cookie, so the table alone cannot sign anyone in.
    CREATE TABLE dashboard_sessions (
      token_hash   text PRIMARY KEY,
      user_name    text NOT NULL REFERENCES dashboard_users (name) ON DELETE CASCADE,
      csrf_token   text NOT NULL,
      created_at   timestamptz NOT NULL,
      last_seen_at timestamptz NOT NULL
    );
    CREATE INDEX dashboard_sessions_by_user ON dashboard_sessions (user_name);

    -- Every command central signed, whether or not it could be sent.
    CREATE TABLE commands (
      command_id text PRIMARY KEY,
      device_id  text NOT NULL,
      name       text NOT NULL,
      args       jsonb NOT NULL,
      issued_by  text NOT NULL,
      issued_at  timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      -- sending: written, not yet published · sent: the broker took it (PUBACK) ·
      -- kiosk-offline / broker-unreachable: not sent, and why.
      delivery   text NOT NULL CHECK (delivery IN ('sending', 'sent', 'kiosk-offline', 'broker-unreachable'))
    );
    CREATE INDEX commands_by_device ON commands (device_id, issued_at);

    -- Every desired configuration pushed; the highest version per device is the retained one.
    CREATE TABLE desired_configs (
      device_id text NOT NULL,
      version   integer NOT NULL CHECK (version >= 1),
      settings  jsonb NOT NULL,
      issued_by text NOT NULL,
      issued_at timestamptz NOT NULL,
      delivery  text NOT NULL CHECK (delivery IN ('sending', 'sent', 'broker-unreachable')),
      PRIMARY KEY (device_id, version)
    );

    -- Who did what to which kiosk, and when.
    CREATE TABLE dashboard_audit (
      id         bigserial PRIMARY KEY,
      at         timestamptz NOT NULL,
      user_name  text NOT NULL,
      action     text NOT NULL,
      device_id  text,
      command_id text,
      detail     jsonb NOT NULL
    );
    CREATE INDEX dashboard_audit_by_time ON dashboard_audit (at);
  `,
};
