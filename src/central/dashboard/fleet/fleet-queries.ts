import {
  type DriverHealth,
  type ReportedConfig,
  reportedConfigSchema,
  type Telemetry,
  telemetrySchema,
} from "../../../sync/protocol/messages.js";
import type { Sql } from "../../db/central-db.js";
import type { Placement } from "../groups/placement.js";
import { isoOf } from "./values.js";

/** A kiosk as the overview shows it. */
export interface KioskSummary {
  readonly deviceId: string;
  readonly state: "unknown" | "online" | "offline";
  readonly stateReason: string | null;
  readonly stateChangedAt: string | null;
  readonly lastSeenAt: string | null;
  readonly telemetry: Telemetry | null;
  readonly telemetryAt: string | null;
  readonly reportedConfig: ReportedConfig | null;
  readonly desiredVersion: number | null;
  /** Its studio and tags as central's operators set them (not what the kiosk reports). */
  readonly placement: Placement;
}

interface DeviceRow {
  device_id: string;
  state: string;
  state_reason: string | null;
  state_changed_at: unknown;
  last_seen_at: unknown;
  telemetry: unknown;
  telemetry_at: unknown;
  reported_config: unknown;
  desired_version: number | null;
  placed_studio: string | null;
  placed_tags: string[] | null;
}

const SELECT_DEVICES = `
  SELECT d.device_id, d.state, d.state_reason, d.state_changed_at, d.last_seen_at, d.telemetry,
         d.telemetry_at, d.reported_config,
         (SELECT max(version) FROM desired_configs c WHERE c.device_id = d.device_id) AS desired_version,
         p.studio AS placed_studio, p.tags AS placed_tags
  FROM devices d LEFT JOIN kiosk_placements p ON p.device_id = d.device_id`;

function summary(row: DeviceRow): KioskSummary {
  // What ingest stored was validated on the way in; parsed again so a page never trusts a cast.
  const telemetry = telemetrySchema.safeParse(row.telemetry);
  const reported = reportedConfigSchema.safeParse(row.reported_config);
  return {
    deviceId: row.device_id,
    state: row.state === "online" || row.state === "offline" ? row.state : "unknown",
    stateReason: row.state_reason,
    stateChangedAt: isoOf(row.state_changed_at),
    lastSeenAt: isoOf(row.last_seen_at),
    telemetry: telemetry.success ? telemetry.data : null,
    telemetryAt: isoOf(row.telemetry_at),
    reportedConfig: reported.success ? reported.data : null,
    desiredVersion: row.desired_version,
    placement: { studio: row.placed_studio, tags: row.placed_tags ?? [] },
  };
}

/** Every kiosk central has heard from, by id. */
export async function listKiosks(db: Sql): Promise<KioskSummary[]> {
  return (await db.query<DeviceRow>(`${SELECT_DEVICES} ORDER BY d.device_id`)).map(summary);
}

export async function findKiosk(db: Sql, deviceId: string): Promise<KioskSummary | null> {
  const [row] = await db.query<DeviceRow>(`${SELECT_DEVICES} WHERE d.device_id = $1`, [deviceId]);
  return row ? summary(row) : null;
}

/**
 * The devices the overview has columns for, by the names the drivers report in telemetry. The cash
 * drawer is on the GPIO pins (or the printer's drawer port, when configured so).
 */
export const HEALTH_COLUMNS = [
  { label: "Reader", device: "card-reader" },
  // Stripe's smart reader: watched by the kiosk at Stripe (online, busy in the detail, offline).
  { label: "Smart reader", device: "smartReader" },
  { label: "Printer", device: "printer" },
  { label: "Drawer (GPIO)", device: "gpio" },
] as const;

export function healthOf(telemetry: Telemetry | null, device: string): DriverHealth | null {
  return telemetry?.drivers[device] ?? null;
}
