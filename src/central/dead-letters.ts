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

/** A lone half of a surrogate pair: JSON can carry one, PostgreSQL's text and jsonb cannot. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const MAX_INT4 = 2_147_483_647;

/**
 * Text PostgreSQL always takes, of at most `max` characters: no NUL, no lone surrogate (cutting may
 * split a pair, so that is mended after the cut), and no card data, since a reason may quote the
 * input it refused.
 */
export function storableText(text: string, max: number): string {
  return redactCardData(text.replaceAll("\u0000", "\\0")).slice(0, max).replace(LONE_SURROGATE, "\uFFFD");
}

const optionalText = (text: string | null, max: number): string | null =>
  text === null ? null : storableText(text, max);

/**
 * One dead letter as columns that cannot be refused for their content: every text cleaned and
 * bounded, the revision only when the integer column can hold it (a revision of 2^31 is why the
 * record was refused; the reason and the payload still say what it was), the payload as bytes.
 * Writing dead letters can then fail only for the database's own reasons, which are retried.
 */
function deadLetterRow(letter: DeadLetter) {
  const revision =
    letter.revision !== null && Number.isInteger(letter.revision) && Math.abs(letter.revision) <= MAX_INT4
      ? letter.revision
      : null;
  const excerpt = letter.payload.subarray(0, Math.min(letter.payload.byteLength, DEAD_LETTER_EXCERPT_BYTES));
  // Whatever arrived, card numbers and track data are not kept (invariant 4).
  const kept = redactCardBytes(excerpt);
  return {
    code: storableText(letter.code, 64),
    reason: storableText(letter.reason, 1000),
    topic: storableText(letter.topic, 500),
    device_id: optionalText(letter.deviceId, 100),
    message_id: optionalText(letter.messageId, 100),
    record_id: optionalText(letter.recordId, 100),
    revision,
    payload_bytes: Math.min(letter.payload.byteLength, MAX_INT4),
    payload: kept.toString("base64"),
    // Bytes changed by the redaction are not what the kiosk sent: such a letter is never replayed.
    payload_redacted: !kept.equals(excerpt),
  };
}

export async function writeDeadLetters(
  tx: Sql,
  letters: readonly DeadLetter[],
  receivedAt: string,
): Promise<void> {
  if (letters.length === 0) return;
  await tx.query(
    `INSERT INTO dead_letters (received_at, code, reason, topic, device_id, message_id, record_id, revision, payload_bytes, payload,
                               payload_redacted)
     SELECT $2::timestamptz, r.code, r.reason, r.topic, r.device_id, r.message_id, r.record_id, r.revision, r.payload_bytes,
            decode(r.payload, 'base64'), r.payload_redacted
     FROM jsonb_to_recordset($1::jsonb) AS r(code text, reason text, topic text, device_id text, message_id text,
          record_id text, revision integer, payload_bytes integer, payload text, payload_redacted boolean)`,
    [JSON.stringify(letters.map(deadLetterRow)), receivedAt],
  );
}
