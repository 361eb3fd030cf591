import type { Sql } from "../../db/central-db.js";
import { isoOf } from "./values.js";

export interface DeadLetterView {
  readonly id: string;
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

/** The newest dead letters, optionally of one kiosk or one code, or only refused records. */
export async function recentDeadLetters(
  db: Sql,
  options: { deviceId: string | null; code: string | null; recordsOnly?: boolean; limit: number },
): Promise<DeadLetterView[]> {
  const rows = await db.query<{
    id: unknown;
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
            substring(payload FROM 1 FOR ${EXCERPT_CHARS * 4}) AS payload
     FROM dead_letters
     WHERE ($1::text IS NULL OR device_id = $1) AND ($2::text IS NULL OR code = $2)
       AND (NOT $4::boolean OR record_id IS NOT NULL)
     ORDER BY id DESC LIMIT $3`,
    [options.deviceId, options.code, options.limit, options.recordsOnly ?? false],
  );
  return rows.map((row) => ({
    id: String(row.id),
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
