import { z } from "zod";
import { ErrorCodes } from "../../core/error-codes.js";
import { describeIssues } from "../../core/zod-issues.js";
import { type EndOfDayItem, endOfDayItemSchema } from "../../payments/end-of-day.js";
import { paymentRecordSchemaWithin } from "../../payments/payment-record.js";
import { CEILING_LIMITS, MAX_REVISION, type RecordLimits } from "../../payments/record/bounds.js";
import { type AnyIncoming, type Rejection, readEnvelope, readPayload } from "../../sync/protocol/codec.js";
import { MAX_BATCH_RECORDS, MAX_END_OF_DAY_ITEMS } from "../../sync/protocol/messages.js";
import type { DeadLetter } from "../dead-letters.js";
import type { RecordInput } from "../record-writer.js";
import { contentHash } from "./content-hash.js";
import { unstorableTextAt } from "./unstorable-text.js";

/** A record of a batch: ready to write, or refused on its own (the rest of the batch still counts). */
export type RecordItem =
  | { readonly ok: true; readonly input: RecordInput }
  | {
      readonly ok: false;
      /** Set when the record names itself well enough to be acknowledged as rejected. */
      readonly ack: { recordId: string; revision: number } | null;
      readonly letter: DeadLetter;
    };

/** An end-of-day item of a batch: ready to write, or refused on its own like a record. */
export type EndOfDayPart =
  | { readonly ok: true; readonly item: EndOfDayItem }
  | {
      readonly ok: false;
      readonly ack: { id: string; revision: number } | null;
      readonly letter: DeadLetter;
    };

/**
 * One message off the broker, classified. `final` marks the last form of something the database
 * refused: dead letters stripped to what cannot be refused (refused-by-database.ts).
 */
export type Incoming =
  | { readonly type: "refused"; readonly letter: DeadLetter; readonly final?: boolean }
  | {
      readonly type: "records";
      readonly topic: string;
      readonly deviceId: string;
      readonly messageId: string;
      readonly items: readonly RecordItem[];
      readonly final?: boolean;
    }
  | {
      readonly type: "end-of-day";
      readonly topic: string;
      readonly deviceId: string;
      readonly messageId: string;
      readonly items: readonly EndOfDayPart[];
      readonly final?: boolean;
    }
  | {
      readonly type: "other";
      readonly topic: string;
      readonly message: Exclude<AnyIncoming, { kind: "records" | "endOfDay" }>;
      /** The message as received, kept should the database refuse it. */
      readonly raw: Uint8Array;
    };

/** A batch is read record by record, so one bad record does not hold up the others. */
const batchShellSchema = z.strictObject({ records: z.array(z.unknown()).min(1).max(MAX_BATCH_RECORDS) });
const endOfDayShellSchema = z.strictObject({ items: z.array(z.unknown()).min(1).max(MAX_END_OF_DAY_ITEMS) });

const letterFor = (topic: string, payload: Uint8Array, rejection: Rejection): DeadLetter => ({
  code: rejection.code,
  reason: rejection.reason,
  topic,
  deviceId: rejection.deviceId,
  messageId: rejection.messageId,
  recordId: null,
  revision: null,
  payload,
});

export { contentHash };

/** A record of a batch as bytes for its dead letter (its depth was bounded before parsing). */
function recordBytes(raw: unknown): Uint8Array {
  try {
    return Buffer.from(JSON.stringify(raw) ?? "null");
  } catch {
    return Buffer.alloc(0);
  }
}

function recordItem(
  raw: unknown,
  topic: string,
  deviceId: string,
  messageId: string,
  limits: RecordLimits,
): RecordItem {
  const parsed = paymentRecordSchemaWithin(limits).safeParse(raw);
  const named = raw as { id?: unknown; revision?: unknown } | null;
  const recordId =
    typeof named?.id === "string" && named.id.length >= 1 && named.id.length <= 64 ? named.id : null;
  // An ack names a revision a kiosk can have; a record whose revision is beyond it gets none (its
  // dead letter still names the record, and its reason the revision).
  const ack =
    recordId !== null &&
    Number.isSafeInteger(named?.revision) &&
    Number(named?.revision) >= 1 &&
    Number(named?.revision) <= MAX_REVISION
      ? { recordId, revision: Number(named?.revision) }
      : null;
  const refuse = (code: string, reason: string): RecordItem => ({
    ok: false,
    ack,
    letter: {
      code,
      reason,
      topic,
      deviceId,
      messageId,
      recordId,
      revision: ack?.revision ?? null,
      payload: recordBytes(raw),
    },
  });
  if (!parsed.success) {
    return refuse(ErrorCodes.SYNC_RECORD_INVALID, describeIssues(parsed.error.issues).slice(0, 5).join("; "));
  }
  const unstorable = unstorableTextAt(parsed.data);
  if (unstorable !== null) {
    return refuse(
      ErrorCodes.SYNC_RECORD_INVALID,
      `${unstorable.slice(0, 100)}: text with a NUL or an unpaired surrogate, which central's database cannot store`,
    );
  }
  if (parsed.data.deviceId !== deviceId) {
    return refuse(
      ErrorCodes.SYNC_RECORD_FOREIGN,
      `the record says kiosk ${parsed.data.deviceId} but came from ${deviceId}`,
    );
  }
  return {
    ok: true,
    input: { record: parsed.data, contentHash: contentHash(parsed.data), topic, messageId },
  };
}

/** One end-of-day item, checked like a record: its schema, storable text, and the sending kiosk. */
function endOfDayPart(raw: unknown, topic: string, deviceId: string, messageId: string): EndOfDayPart {
  const named = raw as { id?: unknown; revision?: unknown } | null;
  const id = typeof named?.id === "string" && named.id.length >= 1 && named.id.length <= 64 ? named.id : null;
  const revision = Number(named?.revision);
  const ack = id !== null && (revision === 1 || revision === 2) ? { id, revision } : null;
  const refuse = (code: string, reason: string): EndOfDayPart => ({
    ok: false,
    ack,
    letter: {
      code,
      reason,
      topic,
      deviceId,
      messageId,
      recordId: id,
      revision: ack?.revision ?? null,
      payload: recordBytes(raw),
    },
  });
  const parsed = endOfDayItemSchema.safeParse(raw);
  if (!parsed.success)
    return refuse(ErrorCodes.SYNC_RECORD_INVALID, describeIssues(parsed.error.issues).slice(0, 5).join("; "));
  if (unstorableTextAt(parsed.data) !== null)
    return refuse(ErrorCodes.SYNC_RECORD_INVALID, "text with a NUL or an unpaired surrogate");
  if (parsed.data.deviceId !== deviceId)
    return refuse(
      ErrorCodes.SYNC_RECORD_FOREIGN,
      `the ${parsed.data.type} says kiosk ${parsed.data.deviceId} but came from ${deviceId}`,
    );
  return { ok: true, item: parsed.data };
}

/**
 * Reads one uplink message; anything wrong with it becomes a dead letter, never an exception.
 * Records are checked against central's own money limits.
 */
export function classify(
  topic: string,
  payload: Uint8Array,
  maxBytes: number,
  limits: RecordLimits = CEILING_LIMITS,
): Incoming {
  try {
    return read(topic, payload, maxBytes, limits);
  } catch (error) {
    // Reading is written never to throw; should it, the message still costs only itself.
    return {
      type: "refused",
      letter: letterFor(topic, payload, {
        code: ErrorCodes.INTERNAL,
        reason: `reading the message failed: ${String((error as Error)?.message ?? error).slice(0, 200)}`,
        deviceId: null,
        messageId: null,
        kind: null,
      }),
    };
  }
}

function read(topic: string, payload: Uint8Array, maxBytes: number, limits: RecordLimits): Incoming {
  const envelope = readEnvelope(topic, payload, { direction: "up", maxBytes });
  if (!envelope.ok) return { type: "refused", letter: letterFor(topic, payload, envelope.rejection) };
  const { kind, deviceId, messageId } = envelope.value;
  if (kind === "records") {
    const shell = batchShellSchema.safeParse(envelope.value.payload);
    if (!shell.success) {
      return {
        type: "refused",
        letter: letterFor(topic, payload, {
          code: ErrorCodes.SYNC_MESSAGE_INVALID,
          reason: `records: ${describeIssues(shell.error.issues).slice(0, 5).join("; ")}`,
          deviceId,
          messageId,
          kind,
        }),
      };
    }
    return {
      type: "records",
      topic,
      deviceId,
      messageId,
      items: shell.data.records.map((raw) => recordItem(raw, topic, deviceId, messageId, limits)),
    };
  }
  if (kind === "endOfDay") {
    const shell = endOfDayShellSchema.safeParse(envelope.value.payload);
    if (!shell.success) {
      return {
        type: "refused",
        letter: letterFor(topic, payload, {
          code: ErrorCodes.SYNC_MESSAGE_INVALID,
          reason: `end-of-day: ${describeIssues(shell.error.issues).slice(0, 5).join("; ")}`,
          deviceId,
          messageId,
          kind,
        }),
      };
    }
    return {
      type: "end-of-day",
      topic,
      deviceId,
      messageId,
      items: shell.data.items.map((raw) => endOfDayPart(raw, topic, deviceId, messageId)),
    };
  }
  const message = readPayload(envelope.value);
  if (!message.ok) return { type: "refused", letter: letterFor(topic, payload, message.rejection) };
  const value = message.value;
  if (value.kind === "records" || value.kind === "endOfDay")
    throw new Error("unreachable: records and end-of-day items are read above");
  const unstorable = unstorableTextAt(value.payload);
  if (unstorable !== null) {
    return {
      type: "refused",
      letter: letterFor(topic, payload, {
        code: ErrorCodes.SYNC_MESSAGE_INVALID,
        reason: `${value.kind}: ${unstorable.slice(0, 100)}: text with a NUL or an unpaired surrogate, which central's database cannot store`,
        deviceId,
        messageId,
        kind,
      }),
    };
  }
  return { type: "other", topic, message: value, raw: payload };
}

/** How much a message weighs in the ingest queue: its records or items, or 1. */
export function weight(incoming: Incoming): number {
  return incoming.type === "records" || incoming.type === "end-of-day" ? incoming.items.length : 1;
}
