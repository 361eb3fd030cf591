import { isoOf } from "../dashboard/fleet/values.js";
import type { Sql } from "../db/central-db.js";
import { type AlertRule, isAlertRule } from "./rules.js";

/** One alert: a rule that held for a kiosk from `raisedAt` until `clearedAt` (null: still open). */
export interface Alert {
  readonly id: string;
  readonly deviceId: string;
  readonly rule: AlertRule;
  readonly raisedAt: string;
  readonly clearedAt: string | null;
  readonly detail: string;
}

/** A raise or a clear, as notifications announce it. */
export interface AlertChange {
  readonly event: "raised" | "cleared";
  readonly alert: Alert;
}

export interface AlertRow {
  id: unknown;
  device_id: string;
  rule: string;
  raised_at: unknown;
  cleared_at: unknown;
  detail: string;
}

const COLUMNS = "id, device_id, rule, raised_at, cleared_at, detail";

/** The alert a row of `alerts` describes; null for a rule this software does not know. */
export function alertOf(row: AlertRow): Alert | null {
  if (!isAlertRule(row.rule)) return null;
  return {
    id: String(row.id),
    deviceId: row.device_id,
    rule: row.rule,
    raisedAt: isoOf(row.raised_at) ?? "",
    clearedAt: isoOf(row.cleared_at),
    detail: row.detail,
  };
}

const alertsOf = (rows: readonly AlertRow[]): Alert[] =>
  rows.flatMap((row) => {
    const alert = alertOf(row);
    return alert ? [alert] : [];
  });

/** Details are what the kiosk reported, cut to a size a page and an email can carry. */
const MAX_DETAIL = 500;

/**
 * Raises `rule` for the kiosk unless it is open already. Returns the new alert only to the one
 * caller whose insert made it (the unique partial index decides between central processes).
 */
export async function raiseAlert(
  db: Sql,
  deviceId: string,
  rule: AlertRule,
  detail: string,
  at: string,
): Promise<Alert | null> {
  const rows = await db.query<AlertRow>(
    `INSERT INTO alerts (device_id, rule, raised_at, detail) VALUES ($1, $2, $3::timestamptz, $4)
     ON CONFLICT (device_id, rule) WHERE cleared_at IS NULL DO NOTHING
     RETURNING ${COLUMNS}`,
    [deviceId, rule, at, detail.slice(0, MAX_DETAIL)],
  );
  return alertsOf(rows)[0] ?? null;
}

/** Clears the kiosk's open alert for `rule`; returns it only to the caller whose update cleared it. */
export async function clearAlert(
  db: Sql,
  deviceId: string,
  rule: AlertRule,
  at: string,
): Promise<Alert | null> {
  const rows = await db.query<AlertRow>(
    `UPDATE alerts SET cleared_at = greatest($3::timestamptz, raised_at)
     WHERE device_id = $1 AND rule = $2 AND cleared_at IS NULL
     RETURNING ${COLUMNS}`,
    [deviceId, rule, at],
  );
  return alertsOf(rows)[0] ?? null;
}

/** Open alerts of rules that are turned off are closed quietly: nobody watches them any more. */
export async function clearDisabledRules(
  db: Sql,
  enabled: readonly AlertRule[],
  at: string,
): Promise<number> {
  const rows = await db.query(
    `UPDATE alerts SET cleared_at = greatest($2::timestamptz, raised_at)
     WHERE cleared_at IS NULL AND NOT (rule = ANY($1::text[])) RETURNING id`,
    [enabled, at],
  );
  return rows.length;
}

/** Every open alert, oldest first; of one kiosk when `deviceId` is given. */
export async function openAlerts(db: Sql, deviceId: string | null = null): Promise<Alert[]> {
  return alertsOf(
    await db.query<AlertRow>(
      `SELECT ${COLUMNS} FROM alerts WHERE cleared_at IS NULL AND ($1::text IS NULL OR device_id = $1)
       ORDER BY raised_at, id`,
      [deviceId],
    ),
  );
}

export async function openAlertCount(db: Sql): Promise<number> {
  const [row] = await db.query<{ count: unknown }>(
    "SELECT count(*) AS count FROM alerts WHERE cleared_at IS NULL",
  );
  return Number(row?.count ?? 0);
}

/** An alert with what became of its emails and web hooks. */
export interface AlertHistoryEntry extends Alert {
  readonly notifications: readonly {
    readonly event: "raised" | "cleared";
    readonly channel: "email" | "webhook";
    /** pending: waiting in the outbox to be sent (see notification-outbox.ts). */
    readonly outcome: "pending" | "sent" | "failed";
    readonly attempts: number;
    readonly error: string | null;
  }[];
}

/**
 * Alerts newest first, `limit` at a time; `beforeId` pages on (the ids of the page shown). Of one
 * kiosk, or one rule, when given.
 */
export async function alertHistory(
  db: Sql,
  options: { deviceId: string | null; rule: AlertRule | null; beforeId: string | null; limit: number },
): Promise<AlertHistoryEntry[]> {
  const rows = await db.query<AlertRow & { notifications: unknown }>(
    `SELECT a.id, a.device_id, a.rule, a.raised_at, a.cleared_at, a.detail,
       coalesce((SELECT jsonb_agg(jsonb_build_object('event', n.event, 'channel', n.channel,
                   'outcome', n.outcome, 'attempts', n.attempts, 'error', n.error) ORDER BY n.id)
                 FROM alert_notifications n WHERE n.alert_id = a.id), '[]'::jsonb) AS notifications
     FROM alerts a
     WHERE ($1::text IS NULL OR a.device_id = $1) AND ($2::text IS NULL OR a.rule = $2)
       AND ($3::bigint IS NULL OR a.id < $3::bigint)
     ORDER BY a.id DESC LIMIT $4`,
    [options.deviceId, options.rule, options.beforeId, options.limit],
  );
  return rows.flatMap((row) => {
    const alert = alertOf(row);
    if (!alert) return [];
    const notifications = Array.isArray(row.notifications)
      ? (row.notifications as AlertHistoryEntry["notifications"])
      : [];
    return [{ ...alert, notifications }];
  });
}

/** Cleared alerts older than `before` go; open ones stay however old. */
export async function pruneAlerts(db: Sql, before: string): Promise<void> {
  await db.query("DELETE FROM alerts WHERE cleared_at IS NOT NULL AND cleared_at < $1::timestamptz", [
    before,
  ]);
}
