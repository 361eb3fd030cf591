import type { Sql } from "../../db/central-db.js";
import { isoOf } from "./values.js";

/** Which letters a list shows: those still needing someone (the default), the resolved ones, or all. */
export const DEAD_LETTER_STATUSES = ["open", "resolved", "all"] as const;
export type DeadLetterStatusFilter = (typeof DEAD_LETTER_STATUSES)[number];

export interface DeadLetterView {
  readonly id: string;
  readonly status: "open" | "replayed" | "dismissed";
  readonly resolvedAt: string | null;
  readonly resolvedBy: string | null;
  /** A dismissal's reason. */
  readonly resolution: string | null;
  readonly replayAttempts: number;
  readonly lastReplayAt: string | null;
  /** Why a replay cannot work, when the page can tell before anyone tries (cut or redacted bytes). */
  readonly notReplayable: string | null;
  readonly receivedAt: string | null;
  readonly code: string;
  readonly reason: string;
  readonly topic: string;
  readonly deviceId: string | null;
  /** Set for a record central refused (acknowledged to its kiosk as rejected or conflict). */
  readonly recordId: string | null;
  readonly revision: number | null;
  readonly payloadBytes: number;
  /** The start of the stored payload (card data was already removed when it was kept). */
  readonly excerpt: string;
}

const EXCERPT_CHARS = 600;

const STATUS_CLAUSE: Record<DeadLetterStatusFilter, string> = {
  open: "status = 'open'",
  resolved: "status <> 'open'",
  all: "true",
};

/** The newest dead letters (open ones unless told), optionally of one kiosk or one code, or only refused records. */
export async function recentDeadLetters(
  db: Sql,
  options: {
    deviceId: string | null;
    code: string | null;
    recordsOnly?: boolean;
    status?: DeadLetterStatusFilter;
    limit: number;
  },
): Promise<DeadLetterView[]> {
  const rows = await db.query<{
    id: unknown;
    status: "open" | "replayed" | "dismissed";
    resolved_at: unknown;
    resolved_by: string | null;
    resolution: string | null;
    replay_attempts: number;
    last_replay_at: unknown;
    payload_redacted: boolean | null;
    kept_bytes: number;
    received_at: unknown;
    code: string;
    reason: string;
    topic: string;
    device_id: string | null;
    record_id: string | null;
    revision: number | null;
    payload_bytes: number;
    payload: Uint8Array;
  }>(
    `SELECT id, received_at, code, reason, topic, device_id, record_id, revision, payload_bytes,
            substring(payload FROM 1 FOR ${EXCERPT_CHARS * 4}) AS payload, octet_length(payload) AS kept_bytes,
            status, resolved_at, resolved_by, resolution, replay_attempts, last_replay_at, payload_redacted
     FROM dead_letters
     WHERE ($1::text IS NULL OR device_id = $1) AND ($2::text IS NULL OR code = $2)
       AND (NOT $4::boolean OR record_id IS NOT NULL) AND ${STATUS_CLAUSE[options.status ?? "open"]}
     ORDER BY id DESC LIMIT $3`,
    [options.deviceId, options.code, options.limit, options.recordsOnly ?? false],
  );
  return rows.map((row) => ({
    id: String(row.id),
    status: row.status,
    resolvedAt: isoOf(row.resolved_at),
    resolvedBy: row.resolved_by,
    resolution: row.resolution,
    replayAttempts: Number(row.replay_attempts),
    lastReplayAt: isoOf(row.last_replay_at),
    notReplayable: row.payload_redacted
      ? "card data was removed from it"
      : Number(row.kept_bytes) < row.payload_bytes
        ? "only an excerpt was kept"
        : null,
    receivedAt: isoOf(row.received_at),
    code: row.code,
    reason: row.reason,
    topic: row.topic,
    deviceId: row.device_id,
    recordId: row.record_id,
    revision: row.revision,
    payloadBytes: row.payload_bytes,
    excerpt: Buffer.from(row.payload).toString("utf8").slice(0, EXCERPT_CHARS),
  }));
}

export async function deadLetterCodes(db: Sql): Promise<string[]> {
  return (await db.query<{ code: string }>("SELECT DISTINCT code FROM dead_letters ORDER BY code")).map(
    (row) => row.code,
  );
}

/** How many letters still need someone (the navigation's and the page's count). */
export async function openDeadLetterCount(db: Sql): Promise<number> {
  const [row] = await db.query<{ count: unknown }>(
    "SELECT count(*) AS count FROM dead_letters WHERE status = 'open'",
  );
  return Number(row?.count ?? 0);
}
