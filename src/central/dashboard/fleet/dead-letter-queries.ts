import type { Sql } from "../../db/central-db.js";
import { isoOf } from "./values.js";

export interface DeadLetterView {
  readonly id: string;
  readonly receivedAt: string | null;
  readonly code: string;
  readonly reason: string;
  readonly topic: string;
  readonly deviceId: string | null;
  readonly recordId: string | null;
  readonly payloadBytes: number;
  /** The start of the stored payload (card data was already removed when it was kept). */
  readonly excerpt: string;
}

const EXCERPT_CHARS = 600;

/** The newest dead letters, optionally of one kiosk or one code. */
export async function recentDeadLetters(
  db: Sql,
  options: { deviceId: string | null; code: string | null; limit: number },
): Promise<DeadLetterView[]> {
  const rows = await db.query<{
    id: unknown;
    received_at: unknown;
    code: string;
    reason: string;
    topic: string;
    device_id: string | null;
    record_id: string | null;
    payload_bytes: number;
    payload: Uint8Array;
  }>(
    `SELECT id, received_at, code, reason, topic, device_id, record_id, payload_bytes,
            substring(payload FROM 1 FOR ${EXCERPT_CHARS * 4}) AS payload
     FROM dead_letters
     WHERE ($1::text IS NULL OR device_id = $1) AND ($2::text IS NULL OR code = $2)
     ORDER BY id DESC LIMIT $3`,
    [options.deviceId, options.code, options.limit],
  );
  return rows.map((row) => ({
    id: String(row.id),
    receivedAt: isoOf(row.received_at),
    code: row.code,
    reason: row.reason,
    topic: row.topic,
    deviceId: row.device_id,
    recordId: row.record_id,
    payloadBytes: row.payload_bytes,
    excerpt: Buffer.from(row.payload).toString("utf8").slice(0, EXCERPT_CHARS),
  }));
}

export async function deadLetterCodes(db: Sql): Promise<string[]> {
  return (await db.query<{ code: string }>("SELECT DISTINCT code FROM dead_letters ORDER BY code")).map(
    (row) => row.code,
  );
}
