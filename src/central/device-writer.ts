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
         last_seen_at = greatest(devices.last_seen_at, excluded.last_seen_at)
       WHERE devices.connection_id IS NULL
          OR devices.connection_id COLLATE "C" < excluded.connection_id COLLATE "C"
          OR (devices.connection_id = excluded.connection_id AND excluded.state = 'offline')`,
      [deviceId, state.state, state.reason, state.connectionId, at],
    );
  }
}

/** The latest telemetry per device; earlier reports in the same flush are superseded by it. */
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
}

export async function writeReportedConfigs(
  tx: Sql,
  reports: ReadonlyMap<string, ReportedConfig>,
  at: string,
): Promise<void> {
  for (const [deviceId, config] of reports) {
    await tx.query(
      `INSERT INTO devices (device_id, reported_config, reported_config_at, last_seen_at)
       VALUES ($1, $2::jsonb, $3::timestamptz, $3::timestamptz)
       ON CONFLICT (device_id) DO UPDATE SET reported_config = excluded.reported_config,
         reported_config_at = excluded.reported_config_at,
         last_seen_at = greatest(devices.last_seen_at, excluded.last_seen_at)`,
      [deviceId, JSON.stringify(config), at],
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
      `INSERT INTO command_results (command_id, outcome, device_id, code, detail, at, received_at)
       VALUES ($1, $2, $3, $4, $5, $6::timestamptz, $7::timestamptz) ON CONFLICT DO NOTHING`,
      [result.commandId, result.outcome, deviceId, result.code, result.detail, result.at, at],
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
