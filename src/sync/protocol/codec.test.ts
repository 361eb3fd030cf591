import { describe, expect, it } from "vitest";
import { sampleCardRecord, sampleInvoice, sampleRecord } from "../../../test/helpers/sync-fixtures.js";
import { ErrorCodes } from "../../core/error-codes.js";
import { newId } from "../../core/ids.js";
import { decodeMessage, encodeMessage, encodeRecordBatch, readEnvelope } from "./codec.js";
import { recordBatchSchema } from "./messages.js";

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
