import type { Sql } from "../../db/central-db.js";
import type { DeliveryState } from "./command-status.js";
import { PAYMENT_COLUMNS } from "./payment-queries.js";
import type { PaymentRow } from "./payments-csv.js";
import { isoOf, numberOf } from "./values.js";

/** The newest records of one kiosk, newest first. */
export async function recentRecords(db: Sql, deviceId: string, limit = 25): Promise<PaymentRow[]> {
  return db.query<PaymentRow>(
    `SELECT ${PAYMENT_COLUMNS} FROM payment_records WHERE device_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`,
    [deviceId, limit],
  );
}

export const CHART_RANGES = {
  "1h": { label: "last hour", seconds: 3600, bucketSeconds: 30 },
  "24h": { label: "last 24 hours", seconds: 86_400, bucketSeconds: 600 },
  "7d": { label: "last 7 days", seconds: 7 * 86_400, bucketSeconds: 3600 },
} as const;
export type ChartRange = keyof typeof CHART_RANGES;

export function chartRange(value: string | null): ChartRange {
  return value === "1h" || value === "7d" ? value : "24h";
}

/** One bucket of telemetry: the worst of each number in it, and the last driver health reported. */
export interface TelemetryPoint {
  readonly at: number;
  readonly outboxDepth: number;
  readonly oldestUnsyncedAgeSeconds: number | null;
  readonly diskFreeBytes: number | null;
  readonly uptimeSeconds: number;
  readonly drivers: Readonly<Record<string, { status: string; detail: string | null }>>;
  /** The hottest the CPU was; null when the kiosk reported no temperature. */
  readonly cpuTemperatureCelsius: number | null;
  /** The least memory available. */
  readonly memoryAvailableBytes: number | null;
  /** Every throttling bit set in any report of the bucket (bitwise or). */
  readonly throttled: number | null;
}

/** Telemetry since `since`, one point per bucket (so a week is a few hundred points, not 20,000). */
export async function telemetrySeries(
  db: Sql,
  deviceId: string,
  since: Date,
  bucketSeconds: number,
): Promise<TelemetryPoint[]> {
  const rows = await db.query<{
    bucket: unknown;
    depth: unknown;
    oldest: unknown;
    disk: unknown;
    uptime: unknown;
    drivers: unknown;
    temperature: unknown;
    memory: unknown;
    throttled: unknown;
  }>(
    `SELECT floor(extract(epoch FROM at) / $3::integer) * $3::integer AS bucket,
            max(outbox_depth) AS depth, max(oldest_unsynced_age_seconds) AS oldest,
            min(disk_free_bytes) AS disk, min(uptime_seconds) AS uptime,
            (array_agg(drivers ORDER BY at DESC))[1] AS drivers,
            max(cpu_temperature_celsius) AS temperature, min(memory_available_bytes) AS memory,
            bit_or(throttled) AS throttled
     FROM telemetry_history WHERE device_id = $1 AND at >= $2::timestamptz
     GROUP BY 1 ORDER BY 1`,
    [deviceId, since.toISOString(), bucketSeconds],
  );
  return rows.map((row) => ({
    at: (numberOf(row.bucket) ?? 0) * 1000,
    outboxDepth: numberOf(row.depth) ?? 0,
    oldestUnsyncedAgeSeconds: numberOf(row.oldest),
    diskFreeBytes: numberOf(row.disk),
    uptimeSeconds: numberOf(row.uptime) ?? 0,
    drivers: (row.drivers ?? {}) as TelemetryPoint["drivers"],
    cpuTemperatureCelsius: numberOf(row.temperature),
    memoryAvailableBytes: numberOf(row.memory),
    throttled: numberOf(row.throttled),
  }));
}

export interface CommandResultView {
  readonly outcome: string;
  readonly code: string | null;
  readonly detail: string | null;
  readonly data: unknown;
  readonly at: string | null;
}

export interface CommandView {
  readonly commandId: string;
  readonly deviceId: string;
  readonly name: string;
  readonly args: Readonly<Record<string, unknown>>;
  readonly issuedBy: string;
  readonly issuedAt: string | null;
  readonly expiresAt: string | null;
  /** Central's part: queued → delivered, or queued → expired (command-status.ts). */
  readonly delivery: DeliveryState;
  readonly deliveredAt: string | null;
  readonly expiredAt: string | null;
  /** Publications tried (one the broker did not take leaves the command queued). */
  readonly attempts: number;
  /** What the kiosk reported, oldest first (accepted, then completed or failed). */
  readonly results: readonly CommandResultView[];
}

interface CommandRow {
  command_id: string;
  device_id: string;
  name: string;
  args: Record<string, unknown>;
  issued_by: string;
  issued_at: unknown;
  expires_at: unknown;
  delivery: DeliveryState;
  delivered_at: unknown;
  expired_at: unknown;
  attempts: unknown;
  results:
    | { outcome: string; code: string | null; detail: string | null; data: unknown; at: unknown }[]
    | null;
}

// A result counts only from the kiosk the command was for: another kiosk naming the id changes nothing.
const SELECT_COMMANDS = `
  SELECT c.command_id, c.device_id, c.name, c.args, c.issued_by, c.issued_at, c.expires_at, c.delivery,
         c.delivered_at, c.expired_at, c.attempts,
         (SELECT json_agg(json_build_object('outcome', r.outcome, 'code', r.code, 'detail', r.detail,
                                            'data', r.data, 'at', r.at) ORDER BY r.at, r.received_at)
          FROM command_results r WHERE r.command_id = c.command_id AND r.device_id = c.device_id) AS results
  FROM commands c`;

function commandView(row: CommandRow): CommandView {
  return {
    commandId: row.command_id,
    deviceId: row.device_id,
    name: row.name,
    args: row.args,
    issuedBy: row.issued_by,
    issuedAt: isoOf(row.issued_at),
    expiresAt: isoOf(row.expires_at),
    delivery: row.delivery,
    deliveredAt: isoOf(row.delivered_at),
    expiredAt: isoOf(row.expired_at),
    attempts: numberOf(row.attempts) ?? 0,
    results: (row.results ?? []).map((result) => ({ ...result, at: isoOf(result.at) })),
  };
}

export async function recentCommands(db: Sql, deviceId: string, limit = 20): Promise<CommandView[]> {
  const rows = await db.query<CommandRow>(
    `${SELECT_COMMANDS} WHERE c.device_id = $1 ORDER BY c.issued_at DESC, c.command_id DESC LIMIT $2`,
    [deviceId, limit],
  );
  return rows.map(commandView);
}

export async function findCommand(db: Sql, commandId: string): Promise<CommandView | null> {
  const [row] = await db.query<CommandRow>(`${SELECT_COMMANDS} WHERE c.command_id = $1`, [commandId]);
  return row ? commandView(row) : null;
}

export interface DesiredConfigView {
  readonly version: number;
  readonly settings: Readonly<Record<string, unknown>>;
  readonly issuedBy: string;
  readonly issuedAt: string | null;
  readonly delivery: "sending" | "sent" | "broker-unreachable";
}

export async function desiredConfigs(db: Sql, deviceId: string, limit = 5): Promise<DesiredConfigView[]> {
  const rows = await db.query<{
    version: number;
    settings: Record<string, unknown>;
    issued_by: string;
    issued_at: unknown;
    delivery: DesiredConfigView["delivery"];
  }>(
    `SELECT version, settings, issued_by, issued_at, delivery FROM desired_configs
     WHERE device_id = $1 ORDER BY version DESC LIMIT $2`,
    [deviceId, limit],
  );
  return rows.map((row) => ({
    version: row.version,
    settings: row.settings,
    issuedBy: row.issued_by,
    issuedAt: isoOf(row.issued_at),
    delivery: row.delivery,
  }));
}
