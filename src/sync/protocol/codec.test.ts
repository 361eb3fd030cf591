import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { sampleCardRecord, sampleInvoice, sampleRecord } from "../../../test/helpers/sync-fixtures.js";
import { ErrorCodes } from "../../core/error-codes.js";
import { newId } from "../../core/ids.js";
import { decodeMessage, encodeMessage, encodeRecordBatch, readEnvelope } from "./codec.js";
import { MAX_JSON_DEPTH } from "./json-depth.js";
import { MESSAGES, type UplinkKind } from "./message-map.js";
import { MAX_INT4, recordBatchSchema } from "./messages.js";
import { deviceTopic } from "./topics.js";

const meta = () => ({ messageId: newId(), sentAt: new Date().toISOString() });
const bytes = (text: string) => Buffer.from(text, "utf8");
const up = { direction: "up", maxBytes: 1 << 20 } as const;

describe("record batches", () => {
  it("splices outbox payloads into a batch that passes the contract schema", () => {
    const invoice = sampleInvoice();
    const records = [sampleRecord(invoice, "kiosk-a", 1250), sampleCardRecord(invoice, "kiosk-a", 990)];
    const out = encodeRecordBatch(
      "kiosk-a",
      records.map((record) => JSON.stringify(record)),
      meta(),
    );
    expect(out.topic).toBe("spectra/v1/kiosks/kiosk-a/up/records");
    expect(out.qos).toBe(1);
    const decoded = decodeMessage(out.topic, bytes(out.body), up);
    expect(decoded.ok).toBe(true);
    if (!decoded.ok || decoded.value.kind !== "records") throw new Error("not a batch");
    expect(recordBatchSchema.parse(decoded.value.payload).records).toEqual(records);
  });
});

describe("rejections", () => {
  const state = () =>
    encodeMessage(
      "state",
      "kiosk-a",
      { state: "online", connectionId: newId(), reason: "connected" },
      meta(),
    );

  it("accepts a well-formed state message", () => {
    const out = state();
    expect(out.retain).toBe(true);
    const decoded = decodeMessage(out.topic, bytes(out.body), up);
    expect(decoded.ok && decoded.value.kind).toBe("state");
  });

  it("refuses a topic whose device is not the envelope's", () => {
    const out = state();
    const result = readEnvelope(out.topic.replace("kiosk-a", "kiosk-b"), bytes(out.body), up);
    expect(result.ok || result.rejection.code).toBe(ErrorCodes.SYNC_DEVICE_MISMATCH);
    expect(result.ok || result.rejection.deviceId).toBe("kiosk-b");
  });

  it("refuses what is not JSON, a wrong schema version, a wrong envelope and an oversized message", () => {
    const topic = "spectra/v1/kiosks/kiosk-a/up/records";
    const codeOf = (body: string, maxBytes = 1 << 20) => {
      const result = decodeMessage(topic, bytes(body), { direction: "up", maxBytes });
      return result.ok ? "ok" : result.rejection.code;
    };
    expect(codeOf("{not json")).toBe(ErrorCodes.SYNC_MESSAGE_NOT_JSON);
    expect(codeOf(JSON.stringify({ schema: 2 }))).toBe(ErrorCodes.SYNC_SCHEMA_UNSUPPORTED);
    expect(codeOf(JSON.stringify({ schema: 1, hello: "world" }))).toBe(ErrorCodes.SYNC_MESSAGE_INVALID);
    expect(codeOf("x".repeat(2000), 1000)).toBe(ErrorCodes.SYNC_MESSAGE_TOO_LARGE);
    const envelope = { schema: 1, messageId: newId(), deviceId: "kiosk-a", sentAt: new Date().toISOString() };
    expect(codeOf(JSON.stringify({ ...envelope, payload: { records: [{ id: "x" }] } }))).toBe(
      ErrorCodes.SYNC_MESSAGE_INVALID,
    );
  });

  it("refuses a downlink topic at central and an unknown suffix", () => {
    const ack = encodeMessage("recordAck", "kiosk-a", { batchId: newId(), results: [] }, meta());
    const atCentral = readEnvelope(ack.topic, bytes(ack.body), up);
    expect(atCentral.ok || atCentral.rejection.code).toBe(ErrorCodes.SYNC_TOPIC_UNKNOWN);
    const atKiosk = readEnvelope(ack.topic, bytes(ack.body), { direction: "down", maxBytes: 1 << 20 });
    expect(atKiosk.ok).toBe(true);
    const unknown = readEnvelope("spectra/v1/kiosks/kiosk-a/up/whatever", bytes(ack.body), up);
    expect(unknown.ok || unknown.rejection.code).toBe(ErrorCodes.SYNC_TOPIC_UNKNOWN);
  });

  it("will not encode a payload that breaks its schema", () => {
    expect(() => encodeMessage("catalogRequest", "kiosk-a", { since: -1, limit: 10 }, meta())).toThrow();
  });
});

describe("limits checked before parsing", () => {
  const envelope = (payload: unknown) =>
    JSON.stringify({
      schema: 1,
      messageId: newId(),
      deviceId: "kiosk-a",
      sentAt: new Date().toISOString(),
      payload,
    });
  const uplink = (Object.keys(MESSAGES) as (keyof typeof MESSAGES)[]).filter(
    (kind): kind is UplinkKind => MESSAGES[kind].direction === "up",
  );

  it("refuses arrays nested 5,000 deep on every uplink topic, in the envelope or the payload, unparsed", () => {
    const deep = `${"[".repeat(5000)}${"]".repeat(5000)}`;
    for (const kind of uplink) {
      const topic = deviceTopic("kiosk-a", "up", MESSAGES[kind].suffix);
      for (const body of [deep, envelope("PLACEHOLDER").replace('"PLACEHOLDER"', deep)]) {
        const result = decodeMessage(topic, bytes(body), up);
        expect(result.ok || result.rejection.code, kind).toBe(ErrorCodes.SYNC_MESSAGE_TOO_DEEP);
      }
    }
  });

  it("reads a message exactly as deep as allowed", () => {
    // The envelope is level 1, the payload 2, its settings 3: the value fills the rest.
    const value = JSON.parse(`${"[".repeat(MAX_JSON_DEPTH - 3)}${"]".repeat(MAX_JSON_DEPTH - 3)}`);
    const body = envelope({ version: 1, settings: { deep: value }, appliedAt: new Date().toISOString() });
    const result = readEnvelope(deviceTopic("kiosk-a", "up", "config/reported"), bytes(body), up);
    expect(result.ok).toBe(true);
  });
});

describe("bounded non-record messages", () => {
  const at = new Date().toISOString();
  const telemetry = {
    softwareVersion: "1.0.0",
    uptimeSeconds: 10,
    outbox: { depth: 0, oldestUnsyncedAgeSeconds: null },
    drivers: { cardReader: { status: "connected", detail: null } },
    disk: { freeBytes: 1 },
    lastSyncAt: null,
  } as const;
  const valid = (kind: UplinkKind, payload: unknown) => MESSAGES[kind].schema.safeParse(payload).success;

  it("keeps counters within the columns central stores them in", () => {
    expect(valid("telemetry", telemetry)).toBe(true);
    expect(
      valid("telemetry", { ...telemetry, outbox: { depth: MAX_INT4 + 1, oldestUnsyncedAgeSeconds: 0 } }),
    ).toBe(false);
    expect(
      valid("telemetry", { ...telemetry, outbox: { depth: 0, oldestUnsyncedAgeSeconds: 2 ** 31 } }),
    ).toBe(false);
    expect(valid("telemetry", { ...telemetry, uptimeSeconds: 2 ** 53 })).toBe(false);
    const drivers = Object.fromEntries(
      Array.from({ length: 33 }, (_, index) => [`d${index}`, { status: "connected", detail: null }]),
    );
    expect(valid("telemetry", { ...telemetry, drivers })).toBe(false);
    expect(valid("catalogRequest", { since: 2 ** 53, limit: 1 })).toBe(false);
    const reported = { version: 1, settings: {}, appliedAt: at, refused: null };
    expect(valid("reportedConfig", reported)).toBe(true);
    expect(valid("reportedConfig", { ...reported, version: MAX_INT4 + 1 })).toBe(false);
    expect(valid("reportedConfig", { ...reported, refused: { version: 2 ** 31, problems: [] } })).toBe(false);
  });

  it("bounds free-form JSON by keys, size and depth", () => {
    const reported = { version: null, appliedAt: at, refused: null };
    const wide = Object.fromEntries(Array.from({ length: 201 }, (_, index) => [`s${index}`, 1]));
    expect(valid("reportedConfig", { ...reported, settings: wide })).toBe(false);
    expect(valid("reportedConfig", { ...reported, settings: { long: "x".repeat(2001) } })).toBe(false);
    expect(valid("reportedConfig", { ...reported, settings: { many: Array(1001).fill(0) } })).toBe(false);
    const result = { commandId: newId(), outcome: "completed", code: null, detail: null, at };
    expect(valid("commandResult", { ...result, data: { deep: [[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]] } })).toBe(
      false,
    );
    const many = Array.from({ length: 25 }, () => Array(999).fill(1));
    expect(valid("commandResult", { ...result, data: { many } })).toBe(false);
  });

  it("still carries what an honest kiosk sends: diagnostics with its whole configuration", () => {
    const config = JSON.parse(readFileSync(new URL("../../../config/default.json", import.meta.url), "utf8"));
    const data = {
      softwareVersion: "1.0.0",
      node: process.version,
      uptimeSeconds: 100,
      memoryRssBytes: 80_000_000,
      state: "in-service",
      lock: null,
      outbox: { depth: 0, oldestCreatedAt: null },
      syncConnected: true,
      drivers: telemetry.drivers,
      lastErrors: Array.from(
        { length: 50 },
        (_, index) => `[STORE_BUSY] problem ${index} ${"x".repeat(300)}`,
      ),
      config,
    };
    const out = encodeMessage(
      "commandResult",
      "kiosk-a",
      { commandId: newId(), outcome: "completed", code: null, detail: null, data, at },
      meta(),
    );
    expect(decodeMessage(out.topic, bytes(out.body), up).ok).toBe(true);
    const reported = encodeMessage(
      "reportedConfig",
      "kiosk-a",
      {
        version: 3,
        settings: { staff: config.staff, paymentMethods: config.paymentMethods },
        appliedAt: at,
        refused: null,
      },
      meta(),
    );
    expect(decodeMessage(reported.topic, bytes(reported.body), up).ok).toBe(true);
  });
});
