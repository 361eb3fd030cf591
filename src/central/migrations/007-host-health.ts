import type { CentralMigration } from "./migration.js";

/**
 * The kiosk's computer in its telemetry history (issue #17): CPU temperature, the firmware's
 * throttling word, memory and the disk's size, so the kiosk page can chart them and alerts can read
 * them. Null where the kiosk could not read a value (or is older than this): absent, never zero.
 */
export const hostHealth: CentralMigration = {
  version: 7,
  name: "host-health",
  sql: `
    ALTER TABLE telemetry_history
      ADD COLUMN cpu_temperature_celsius real,
      ADD COLUMN throttled               bigint,
      ADD COLUMN memory_total_bytes      bigint,
      ADD COLUMN memory_available_bytes  bigint,
      ADD COLUMN disk_total_bytes        bigint;
  `,
};
