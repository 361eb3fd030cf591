import type { Sql } from "./db/central-db.js";
import { redactCardBytes, redactCardData } from "./redact-card-data.js";

/** Enough of a refused message to see what it was; a 10 MB one is not kept whole. */
export const DEAD_LETTER_EXCERPT_BYTES = 64 * 1024;

export interface DeadLetter {
  readonly code: string;
  readonly reason: string;
  readonly topic: string;
  readonly deviceId: string | null;
  readonly messageId: string | null;
  readonly recordId: string | null;
  readonly revision: number | null;
  readonly payload: Uint8Array;
}

/**
 * PostgreSQL text cannot hold NUL, and a reason may quote the input it refused: no NUL, no card data.
 */
const clean = (text: string, max: number): string =>
  redactCardData(text.replaceAll("\u0000", "\\0")).slice(0, max);

export async function writeDeadLetters(
  tx: Sql,
  letters: readonly DeadLetter[],
  receivedAt: string,
): Promise<void> {
  if (letters.length === 0) return;
  const rows = letters.map((letter) => ({
    code: letter.code,
    reason: clean(letter.reason, 1000),
    topic: clean(letter.topic, 500),
    device_id: letter.deviceId,
    message_id: letter.messageId,
    record_id: letter.recordId,
    revision: letter.revision,
    payload_bytes: letter.payload.byteLength,
    // Whatever arrived, card numbers and track data are not kept (invariant 4).
    payload: redactCardBytes(
      letter.payload.subarray(0, Math.min(letter.payload.byteLength, DEAD_LETTER_EXCERPT_BYTES)),
    ).toString("base64"),
  }));
  await tx.query(
    `INSERT INTO dead_letters (received_at, code, reason, topic, device_id, message_id, record_id, revision, payload_bytes, payload)
     SELECT $2::timestamptz, r.code, r.reason, r.topic, r.device_id, r.message_id, r.record_id, r.revision, r.payload_bytes,
            decode(r.payload, 'base64')
     FROM jsonb_to_recordset($1::jsonb) AS r(code text, reason text, topic text, device_id text, message_id text,
          record_id text, revision integer, payload_bytes integer, payload text)`,
    [JSON.stringify(rows), receivedAt],
  );
}
