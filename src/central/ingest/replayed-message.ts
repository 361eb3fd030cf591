import type { RecordLimits } from "../../payments/record/bounds.js";
import { SCHEMA_VERSION } from "../../sync/protocol/envelope.js";
import { kindOf } from "../../sync/protocol/message-map.js";
import { parseTopic } from "../../sync/protocol/topics.js";
import { classify, type Incoming } from "./incoming.js";

/** A dead letter as its row keeps it: what a replay needs. */
export interface StoredLetter {
  readonly topic: string;
  /** How many bytes arrived. */
  readonly payloadBytes: number;
  /** What was kept of them (at most 64 KiB, card data removed). */
  readonly payload: Uint8Array;
  /** Whether card data was cut out of the kept bytes; null for letters kept before that was recorded. */
  readonly payloadRedacted: boolean | null;
}

export type ReplayedMessage =
  | { readonly ok: true; readonly incoming: Incoming }
  | { readonly ok: false; readonly reason: string };

/** What redact-card-data.ts puts where track data was; in older letters it is the only sign. */
const TRACK_MARK = "[track data removed]";

const isEnvelope = (value: unknown): boolean =>
  typeof value === "object" &&
  value !== null &&
  !Array.isArray(value) &&
  "payload" in value &&
  "messageId" in value;

/**
 * The message a dead letter came from, read again by ingest's own `classify` as if it had just
 * arrived on the letter's topic: every check runs again, against today's limits. Only the bytes the
 * kiosk sent can be replayed — not a cut excerpt, not bytes card data was removed from — and only
 * payment records and end-of-day papers, which are written idempotently by id and revision (a
 * state or telemetry report is a moment's; replayed late it would overwrite a newer one). A letter
 * for one record (or paper) of a batch keeps only that record: it is put back in an envelope of its
 * own, from its kiosk, under a new message id.
 */
export function replayedMessage(
  letter: StoredLetter,
  options: { maxMessageBytes: number; limits: RecordLimits; messageId: string; sentAt: string },
): ReplayedMessage {
  const text = Buffer.from(letter.payload).toString("utf8");
  if (letter.payloadRedacted === true || (letter.payloadRedacted === null && text.includes(TRACK_MARK)))
    return {
      ok: false,
      reason: "card data was removed from it before it was kept, so it is not what was sent",
    };
  if (letter.payload.byteLength < letter.payloadBytes)
    return {
      ok: false,
      reason: `only the first ${letter.payload.byteLength} of its ${letter.payloadBytes} bytes were kept`,
    };
  const parts = parseTopic(letter.topic);
  const kind = parts?.direction === "up" ? kindOf("up", parts.suffix) : null;
  if (!parts || (kind !== "records" && kind !== "endOfDay"))
    return {
      ok: false,
      reason: parts
        ? "only payment records and end-of-day papers are replayed; any other message is a moment's report"
        : "it has no kiosk topic to replay it on",
    };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || isEnvelope(parsed))
    return {
      ok: true,
      incoming: classify(letter.topic, letter.payload, options.maxMessageBytes, options.limits),
    };
  const envelope = {
    schema: SCHEMA_VERSION,
    messageId: options.messageId,
    deviceId: parts.deviceId,
    sentAt: options.sentAt,
    payload: kind === "records" ? { records: [parsed] } : { items: [parsed] },
  };
  return {
    ok: true,
    incoming: classify(
      letter.topic,
      Buffer.from(JSON.stringify(envelope)),
      options.maxMessageBytes,
      options.limits,
    ),
  };
}
