import type { Sql } from "../../db/central-db.js";
import { isoOf } from "../fleet/values.js";

export type AuditAction =
  | "sign-in"
  | "sign-in-refused"
  | "sign-out"
  | "command"
  | "desired-config"
  | "dead-letter-replay"
  | "dead-letter-dismiss"
  | "user-added"
  | "user-role"
  | "user-removed"
  | "access-refused"
  | "placement"
  | "group-action";

export interface AuditEntry {
  readonly at: string;
  readonly userName: string;
  readonly action: AuditAction;
  readonly deviceId: string | null;
  readonly commandId: string | null;
  readonly detail: Readonly<Record<string, unknown>>;
}

/** Appends to the audit log (in the caller's transaction when there is one). Nothing is ever updated. */
export async function writeAudit(db: Sql, entry: AuditEntry): Promise<void> {
  await db.query(
    `INSERT INTO dashboard_audit (at, user_name, action, device_id, command_id, detail)
     VALUES ($1::timestamptz, $2, $3, $4, $5, $6::jsonb)`,
    [entry.at, entry.userName, entry.action, entry.deviceId, entry.commandId, JSON.stringify(entry.detail)],
  );
}

export interface AuditView extends AuditEntry {
  readonly id: string;
  /** For commands and configurations: whether it went out (the commands and desired_configs rows). */
  readonly delivery: string | null;
}

/** The newest entries, optionally of one kiosk. */
export async function recentAudit(
  db: Sql,
  options: { deviceId: string | null; limit: number },
): Promise<AuditView[]> {
  const rows = await db.query<{
    id: unknown;
    at: unknown;
    user_name: string;
    action: AuditAction;
    device_id: string | null;
    command_id: string | null;
    detail: Record<string, unknown>;
    delivery: string | null;
  }>(
    `SELECT a.id, a.at, a.user_name, a.action, a.device_id, a.command_id, a.detail,
            coalesce(c.delivery, d.delivery) AS delivery
     FROM dashboard_audit a
     LEFT JOIN commands c ON a.action = 'command' AND c.command_id = a.command_id
     LEFT JOIN desired_configs d ON a.action = 'desired-config' AND d.device_id = a.device_id
       AND d.version = (a.detail ->> 'version')::integer
     WHERE $1::text IS NULL OR a.device_id = $1
     ORDER BY a.id DESC LIMIT $2`,
    [options.deviceId, options.limit],
  );
  return rows.map((row) => ({
    id: String(row.id),
    at: isoOf(row.at) ?? "",
    userName: row.user_name,
    action: row.action,
    deviceId: row.device_id,
    commandId: row.command_id,
    detail: row.detail,
    delivery: row.delivery,
  }));
}
