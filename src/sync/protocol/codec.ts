import type { ErrorCode } from "../../core/error-codes.js";
import { ErrorCodes } from "../../core/error-codes.js";
import { jsonNestingDepth } from "../../core/json-nesting.js";
import { describeIssues } from "../../core/zod-issues.js";
import { type EnvelopeMeta, envelopeSchema, SCHEMA_VERSION } from "./envelope.js";
import { MAX_JSON_DEPTH } from "./json-depth.js";
import { kindOf, MESSAGES, type MessageKind, type Payload } from "./message-map.js";
import { type Direction, deviceTopic, parseTopic } from "./topics.js";

/** Why a message was refused, with what could be read of it (for the dead-letter table and logs). */
export interface Rejection {
  readonly code: ErrorCode;
  readonly reason: string;
  /** The device id from the topic, when the topic could be read. */
  readonly deviceId: string | null;
  readonly messageId: string | null;
  readonly kind: MessageKind | null;
}

/** An envelope that passed every check except its payload's. */
export interface EnvelopeRead {
  readonly kind: MessageKind;
  readonly deviceId: string;
  readonly messageId: string;
  readonly sentAt: string;
  readonly payload: unknown;
}

export interface Incoming<K extends MessageKind> {
  readonly kind: K;
  readonly deviceId: string;
  readonly messageId: string;
  readonly sentAt: string;
  readonly payload: Payload<K>;
}

export type AnyIncoming = { [K in MessageKind]: Incoming<K> }[MessageKind];

export type Read<T> = { ok: true; value: T } | { ok: false; rejection: Rejection };

export interface ReadOptions {
  /** "up" at central, "down" at a kiosk: a message in the other direction is refused. */
  readonly direction: Direction;
  readonly maxBytes: number;
}

const reject = (
  code: ErrorCode,
  reason: string,
  at: Partial<Omit<Rejection, "code" | "reason">> = {},
): { ok: false; rejection: Rejection } => ({
  ok: false,
  rejection: {
    code,
    reason,
    deviceId: at.deviceId ?? null,
    messageId: at.messageId ?? null,
    kind: at.kind ?? null,
  },
});

const excerpt = (problems: readonly string[]): string => problems.slice(0, 5).join("; ").slice(0, 500);

/**
 * Checks a message up to its envelope: size, topic, nesting depth, JSON, schema version, envelope
 * fields, and that the envelope names the topic's device. Size and depth are checked on the bytes,
 * before anything parses them or recurses into them. Never throws: anything wrong is a coded rejection.
 */
export function readEnvelope(topic: string, bytes: Uint8Array, options: ReadOptions): Read<EnvelopeRead> {
  const parts = parseTopic(topic);
  const deviceId = parts?.deviceId ?? null;
  if (bytes.byteLength > options.maxBytes) {
    return reject(
      ErrorCodes.SYNC_MESSAGE_TOO_LARGE,
      `${bytes.byteLength} bytes, more than the ${options.maxBytes} allowed`,
      { deviceId },
    );
  }
  const kind = parts && parts.direction === options.direction ? kindOf(parts.direction, parts.suffix) : null;
  if (!parts || !kind)
    return reject(
      ErrorCodes.SYNC_TOPIC_UNKNOWN,
      `no ${options.direction}link message has the topic ${topic.slice(0, 200)}`,
      { deviceId },
    );
  const depth = jsonNestingDepth(bytes, MAX_JSON_DEPTH);
  if (depth > MAX_JSON_DEPTH) {
    return reject(
      ErrorCodes.SYNC_MESSAGE_TOO_DEEP,
      `arrays and objects nested deeper than the ${MAX_JSON_DEPTH} levels allowed`,
      { deviceId, kind },
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8"));
  } catch (error) {
    return reject(ErrorCodes.SYNC_MESSAGE_NOT_JSON, `not JSON: ${(error as Error).message.slice(0, 200)}`, {
      deviceId,
      kind,
    });
  }
  const schema = (parsed as { schema?: unknown } | null)?.schema;
  if (typeof schema === "number" && schema !== SCHEMA_VERSION) {
    return reject(
      ErrorCodes.SYNC_SCHEMA_UNSUPPORTED,
      `schema version ${schema}; this end speaks ${SCHEMA_VERSION}`,
      { deviceId, kind },
    );
  }
  const envelope = envelopeSchema.safeParse(parsed);
  if (!envelope.success) {
    return reject(
      ErrorCodes.SYNC_MESSAGE_INVALID,
      `envelope: ${excerpt(describeIssues(envelope.error.issues))}`,
      {
        deviceId,
        kind,
      },
    );
  }
  const { messageId } = envelope.data;
  if (envelope.data.deviceId !== parts.deviceId) {
    return reject(
      ErrorCodes.SYNC_DEVICE_MISMATCH,
      `the envelope says ${envelope.data.deviceId} but the topic is ${parts.deviceId}'s`,
      { deviceId, kind, messageId },
    );
  }
  return {
    ok: true,
    value: {
      kind,
      deviceId: parts.deviceId,
      messageId,
      sentAt: envelope.data.sentAt,
      payload: envelope.data.payload,
    },
  };
}

/** Checks a read envelope's payload against its topic's schema. */
export function readPayload(read: EnvelopeRead): Read<AnyIncoming> {
  const result = MESSAGES[read.kind].schema.safeParse(read.payload);
  if (!result.success) {
    return reject(
      ErrorCodes.SYNC_MESSAGE_INVALID,
      `${read.kind}: ${excerpt(describeIssues(result.error.issues))}`,
      {
        deviceId: read.deviceId,
        kind: read.kind,
        messageId: read.messageId,
      },
    );
  }
  return { ok: true, value: { ...read, payload: result.data } as AnyIncoming };
}

/** readEnvelope, then readPayload. */
export function decodeMessage(topic: string, bytes: Uint8Array, options: ReadOptions): Read<AnyIncoming> {
  const envelope = readEnvelope(topic, bytes, options);
  return envelope.ok ? readPayload(envelope.value) : envelope;
}

export interface Outgoing {
  readonly topic: string;
  readonly body: string;
  readonly qos: 0 | 1;
  readonly retain: boolean;
}

/** Builds a message, validating the payload first: a sender never puts a malformed message on the wire. */
export function encodeMessage<K extends MessageKind>(
  kind: K,
  deviceId: string,
  payload: Payload<K>,
  meta: EnvelopeMeta,
): Outgoing {
  const spec = MESSAGES[kind];
  const checked = spec.schema.parse(payload);
  return {
    topic: deviceTopic(deviceId, spec.direction, spec.suffix),
    body: JSON.stringify({
      schema: SCHEMA_VERSION,
      messageId: meta.messageId,
      deviceId,
      sentAt: meta.sentAt,
      payload: checked,
    }),
    qos: spec.qos,
    retain: spec.retain,
  };
}

/**
 * A record batch from outbox payloads as they are. Each was validated against the record schema
 * when it was committed (RecordStore) and is JSON the store wrote, so the batch is spliced from the
 * strings instead of being parsed and validated again — the agent's hot path. The unit test proves
 * the result passes the batch schema.
 */
export function encodeRecordBatch(
  deviceId: string,
  recordJson: readonly string[],
  meta: EnvelopeMeta,
): Outgoing {
  const spec = MESSAGES.records;
  const head = JSON.stringify({
    schema: SCHEMA_VERSION,
    messageId: meta.messageId,
    deviceId,
    sentAt: meta.sentAt,
  });
  return {
    topic: deviceTopic(deviceId, spec.direction, spec.suffix),
    body: `${head.slice(0, -1)},"payload":{"records":[${recordJson.join(",")}]}}`,
    qos: spec.qos,
    retain: spec.retain,
  };
}

/**
 * An end-of-day batch from outbox payloads as they are, spliced like a record batch: the kiosk
 * never re-validates what it committed (a row it could not encode would hold up every row after
 * it), and central checks each item on arrival, refusing a bad one alone with a code.
 */
export function encodeEndOfDayBatch(
  deviceId: string,
  itemJson: readonly string[],
  meta: EnvelopeMeta,
): Outgoing {
  const spec = MESSAGES.endOfDay;
  const head = JSON.stringify({
    schema: SCHEMA_VERSION,
    messageId: meta.messageId,
    deviceId,
    sentAt: meta.sentAt,
  });
  return {
    topic: deviceTopic(deviceId, spec.direction, spec.suffix),
    body: `${head.slice(0, -1)},"payload":{"items":[${itemJson.join(",")}]}}`,
    qos: spec.qos,
    retain: spec.retain,
  };
}
