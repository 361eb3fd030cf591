import type { Sql } from "../../db/central-db.js";
import { isoOf } from "./values.js";

/** One kiosk in an update's rollout: where it stands with that release. */
export interface RolloutKiosk {
  readonly deviceId: string;
  readonly state: string;
  /** The version its latest telemetry reports, and when that came. */
  readonly runs: string | null;
  readonly reportedAt: string | null;
  readonly commandId: string | null;
  readonly delivery: string | null;
  readonly issuedAt: string | null;
  readonly expiresAt: string | null;
  /** Its last answer to that command: accepted (fetched, handed to the updater), completed, failed, rejected. */
  readonly outcome: string | null;
  readonly code: string | null;
}

/**
 * Where each kiosk stands: not asked, asked (queued for it while it is away, sent; not sent: it
 * expired first), fetched, updated, failed (rolled back) or refused.
 */
export type RolloutStage =
  | "not-asked"
  | "not-sent"
  | "queued"
  | "sent"
  | "fetched"
  | "updated"
  | "failed"
  | "on-version";

export function stageOf(kiosk: RolloutKiosk, version: string): RolloutStage {
  if (kiosk.outcome === "completed") return "updated";
  if (kiosk.outcome === "failed" || kiosk.outcome === "rejected") return "failed";
  if (kiosk.outcome === "accepted") return "fetched";
  if (kiosk.commandId !== null) {
    if (kiosk.delivery === "delivered") return "sent";
    // The courier marks a queued command expired within seconds of its expiry.
    if (kiosk.delivery === "queued") return "queued";
    return "not-sent";
  }
  return kiosk.runs === version ? "on-version" : "not-asked";
}

/** Every kiosk with its latest update command for `version` and the last answer to it. */
export async function rolloutOf(db: Sql, version: string): Promise<RolloutKiosk[]> {
  const rows = await db.query<{
    device_id: string;
    state: string;
    runs: string | null;
    reported_at: unknown;
    command_id: string | null;
    delivery: string | null;
    issued_at: unknown;
    expires_at: unknown;
    outcome: string | null;
    code: string | null;
  }>(
    `SELECT d.device_id, d.state, d.telemetry->>'softwareVersion' AS runs,
            coalesce(d.telemetry_at, d.last_seen_at) AS reported_at,
            c.command_id, c.delivery, c.issued_at, c.expires_at, r.outcome, r.code
     FROM devices d
     LEFT JOIN LATERAL (
       SELECT command_id, delivery, issued_at, expires_at FROM commands
       WHERE device_id = d.device_id AND name = 'update' AND args->>'version' = $1
       ORDER BY issued_at DESC LIMIT 1) c ON true
     LEFT JOIN LATERAL (
       SELECT outcome, code FROM command_results
       WHERE command_id = c.command_id AND device_id = d.device_id
       ORDER BY at DESC, received_at DESC LIMIT 1) r ON true
     ORDER BY d.device_id`,
    [version],
  );
  return rows.map((row) => ({
    deviceId: row.device_id,
    state: row.state,
    runs: row.runs,
    reportedAt: isoOf(row.reported_at),
    commandId: row.command_id,
    delivery: row.delivery,
    issuedAt: isoOf(row.issued_at),
    expiresAt: isoOf(row.expires_at),
    outcome: row.outcome,
    code: row.code,
  }));
}

/** The releases update commands were sent for, newest first. */
export async function rolloutVersions(db: Sql, limit = 5): Promise<string[]> {
  const rows = await db.query<{ version: string }>(
    `SELECT args->>'version' AS version FROM commands WHERE name = 'update'
     GROUP BY args->>'version' ORDER BY max(issued_at) DESC LIMIT $1`,
    [limit],
  );
  return rows.map((row) => row.version);
}
