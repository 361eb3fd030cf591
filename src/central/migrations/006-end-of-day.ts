import type { CentralMigration } from "./migration.js";

/**
 * End of day at central: each kiosk's studio and time zone (from its reported configuration), and
 * the paperwork kiosks send — shifts, drawer counts, X/Z reports — each kept with the content it
 * arrived with, so a resend is recognised as a duplicate and a different content as a conflict.
 */
export const endOfDay: CentralMigration = {
  version: 6,
  name: "end-of-day",
  sql: `
    ALTER TABLE devices ADD COLUMN studio_name text;
    ALTER TABLE devices ADD COLUMN studio_time_zone text;
    CREATE INDEX devices_by_studio ON devices (studio_name);

    CREATE TABLE kiosk_shifts (
      id          text PRIMARY KEY,
      device_id   text NOT NULL,
      revision    integer NOT NULL CHECK (revision IN (1, 2)),
      opened_at   timestamptz NOT NULL,
      opened_by   text,
      closed_at   timestamptz,
      closed_by   text,
      content     jsonb NOT NULL,
      received_at timestamptz NOT NULL
    );
    CREATE INDEX kiosk_shifts_by_device ON kiosk_shifts (device_id, opened_at);

    CREATE TABLE drawer_counts (
      id               text PRIMARY KEY,
      device_id        text NOT NULL,
      shift_id         text NOT NULL,
      currency         text NOT NULL,
      counted_minor    bigint NOT NULL CHECK (counted_minor >= 0),
      expected_minor   bigint NOT NULL,
      difference_minor bigint NOT NULL CHECK (difference_minor = counted_minor - expected_minor),
      counted_by       text NOT NULL,
      counted_at       timestamptz NOT NULL,
      content          jsonb NOT NULL,
      received_at      timestamptz NOT NULL
    );
    CREATE INDEX drawer_counts_by_device ON drawer_counts (device_id, counted_at);

    CREATE TABLE shift_reports (
      id                  text PRIMARY KEY,
      device_id           text NOT NULL,
      shift_id            text NOT NULL,
      kind                text NOT NULL CHECK (kind IN ('X', 'Z')),
      taken_at            timestamptz NOT NULL,
      taken_by            text NOT NULL,
      currency            text NOT NULL,
      net_minor           bigint NOT NULL,
      expected_cash_minor bigint NOT NULL,
      content             jsonb NOT NULL,
      received_at         timestamptz NOT NULL
    );
    CREATE INDEX shift_reports_by_device ON shift_reports (device_id, taken_at);
  `,
};
