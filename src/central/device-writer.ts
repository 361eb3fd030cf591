import type { CommandResult, DeviceState, ReportedConfig, Telemetry } from "../sync/protocol/messages.js";
import type { Sql } from "./db/central-db.js";

export interface StateInput {
  readonly deviceId: string;
  readonly state: DeviceState;
}

/**
 * Availability, ordered by connection rather than arrival: with several workers, a kiosk's Last
 * Will and its next `online` can be written in either order, and the later connection must win.
 * Within one connection, offline follows online. Connection ids are UUIDv7 (time-ordered), compared
 * bytewise.
 */
export async function writeStates(tx: Sql, states: readonly StateInput[], at: string): Promise<void> {
  for (const { deviceId, state } of states) {
    await tx.query(
      `INSERT INTO devices (device_id, state, state_reason, connection_id, state_changed_at, last_seen_at)
       VALUES ($1, $2, $3, $4, $5::timestamptz, $5::timestamptz)
       ON CONFLICT (device_id) DO UPDATE SET state = excluded.state, state_reason = excluded.state_reason,
         connection_id = excluded.connection_id, state_changed_at = excluded.state_changed_at,
         last_seen_at = CASE WHEN $6 THEN greatest(devices.last_seen_at, excluded.last_seen_at)
                             ELSE devices.last_seen_at END
       WHERE devices.connection_id IS NULL
          OR devices.connection_id COLLATE "C" < excluded.connection_id COLLATE "C"
          OR (devices.connection_id = excluded.connection_id AND excluded.state = 'offline')`,
      [deviceId, state.state, state.reason, state.connectionId, at, !isLastWill(state)],
    );
  }
}

/**
 * A Last Will is the broker speaking for a kiosk that has gone: it says when the kiosk was missed,
 * not that it was seen, so it never makes "last seen" newer (an offline kiosk must not read "last
 * seen 1 s ago"). A kiosk that shuts down says "offline" itself, and that is a sighting.
 */
export function isLastWill(state: DeviceState): boolean {
  return state.state === "offline" && state.reason === "connection-lost";
}

/**
 * The latest telemetry per device (earlier reports in the same flush are superseded by it), and a
 * row of its history for the dashboard's charts.
 */
export async function writeTelemetry(
  tx: Sql,
  reports: ReadonlyMap<string, Telemetry>,
  at: string,
): Promise<void> {
  if (reports.size === 0) return;
  const rows = [...reports].map(([deviceId, telemetry]) => ({ device_id: deviceId, telemetry }));
  await tx.query(
    `INSERT INTO devices (device_id, telemetry, telemetry_at, last_seen_at)
     SELECT r.device_id, r.telemetry, $2::timestamptz, $2::timestamptz
     FROM jsonb_to_recordset($1::jsonb) AS r(device_id text, telemetry jsonb)
     ON CONFLICT (device_id) DO UPDATE SET telemetry = excluded.telemetry, telemetry_at = excluded.telemetry_at,
       last_seen_at = greatest(devices.last_seen_at, excluded.last_seen_at)`,
    [JSON.stringify(rows), at],
  );
  const history = [...reports].map(([deviceId, telemetry]) => ({
    device_id: deviceId,
    software_version: telemetry.softwareVersion,
    uptime_seconds: telemetry.uptimeSeconds,
    outbox_depth: telemetry.outbox.depth,
    oldest_unsynced_age_seconds: telemetry.outbox.oldestUnsyncedAgeSeconds,
    disk_free_bytes: telemetry.disk.freeBytes,
    drivers: telemetry.drivers,
    cpu_temperature_celsius: telemetry.host?.cpuTemperatureCelsius ?? null,
    throttled: telemetry.host?.throttled ?? null,
    memory_total_bytes: telemetry.host?.memory?.totalBytes ?? null,
    memory_available_bytes: telemetry.host?.memory?.availableBytes ?? null,
    disk_total_bytes: telemetry.disk.totalBytes ?? null,
  }));
  await tx.query(
    `INSERT INTO telemetry_history (device_id, at, software_version, uptime_seconds, outbox_depth,
       oldest_unsynced_age_seconds, disk_free_bytes, drivers, cpu_temperature_celsius, throttled,
       memory_total_bytes, memory_available_bytes, disk_total_bytes)
     SELECT r.device_id, $2::timestamptz, r.software_version, r.uptime_seconds, r.outbox_depth,
       r.oldest_unsynced_age_seconds, r.disk_free_bytes, r.drivers, r.cpu_temperature_celsius, r.throttled,
       r.memory_total_bytes, r.memory_available_bytes, r.disk_total_bytes
     FROM jsonb_to_recordset($1::jsonb) AS r(device_id text, software_version text, uptime_seconds bigint,
       outbox_depth integer, oldest_unsynced_age_seconds integer, disk_free_bytes bigint, drivers jsonb,
       cpu_temperature_celsius real, throttled bigint, memory_total_bytes bigint,
       memory_available_bytes bigint, disk_total_bytes bigint)`,
    [JSON.stringify(history), at],
  );
}

export async function writeReportedConfigs(
  tx: Sql,
  reports: ReadonlyMap<string, ReportedConfig>,
  at: string,
): Promise<void> {
  for (const [deviceId, config] of reports) {
    await tx.query(
      `INSERT INTO devices (device_id, reported_config, reported_config_at, last_seen_at, studio_name, studio_time_zone)
       VALUES ($1, $2::jsonb, $3::timestamptz, $3::timestamptz, $4, $5)
       ON CONFLICT (device_id) DO UPDATE SET reported_config = excluded.reported_config,
         reported_config_at = excluded.reported_config_at,
         last_seen_at = greatest(devices.last_seen_at, excluded.last_seen_at),
         studio_name = coalesce(excluded.studio_name, devices.studio_name),
         studio_time_zone = coalesce(excluded.studio_time_zone, devices.studio_time_zone)`,
      [deviceId, JSON.stringify(config), at, config.studio?.name ?? null, config.studio?.timeZone ?? null],
    );
  }
}

export async function writeCommandResults(
  tx: Sql,
  results: readonly { deviceId: string; result: CommandResult }[],
  at: string,
): Promise<void> {
  for (const { deviceId, result } of results) {
    await tx.query(
      `INSERT INTO command_results (command_id, outcome, device_id, code, detail, data, at, received_at)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::timestamptz, $8::timestamptz) ON CONFLICT DO NOTHING`,
      [
        result.commandId,
        result.outcome,
        deviceId,
        result.code,
        result.detail,
        result.data === null ? null : JSON.stringify(result.data),
        result.at,
        at,
      ],
    );
  }
}

/** Any message from a device means it was there: keeps last_seen_at fresh and registers new kiosks. */
export async function touchDevices(tx: Sql, deviceIds: ReadonlySet<string>, at: string): Promise<void> {
  if (deviceIds.size === 0) return;
  await tx.query(
    `INSERT INTO devices (device_id, last_seen_at)
     SELECT id, $2::timestamptz FROM jsonb_array_elements_text($1::jsonb) AS ids(id)
     ON CONFLICT (device_id) DO UPDATE SET last_seen_at = greatest(devices.last_seen_at, excluded.last_seen_at)`,
    [JSON.stringify([...deviceIds].sort()), at],
  );
}

/** Every kiosk central has heard from: who gets "catalog changed" nudges. */
export async function knownDevices(db: Sql): Promise<string[]> {
  return (await db.query<{ device_id: string }>("SELECT device_id FROM devices ORDER BY device_id")).map(
    (row) => row.device_id,
  );
}
