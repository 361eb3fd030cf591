import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { contentHash } from "../../src/central/ingest/content-hash.js";
import { toCentralRow } from "../../src/central/record-rows.js";
import type { PaymentRecord } from "../../src/payments/payment-record.js";
import { fromRow, type RecordRow, rowHash, toRow } from "../../src/store/record-rows.js";
import { decodeMessage, encodeMessage, encodeRecordBatch } from "../../src/sync/protocol/codec.js";

/**
 * What the hand-written mappings wrote and sent before the record description replaced them
 * (captured at 47817f8): kiosks and central of either age must keep understanding each other, and
 * rows already on disk must keep their audit hashes.
 */
interface Fixture {
  records: {
    record: PaymentRecord;
    kioskRow: RecordRow;
    rowHash: string;
    contentHash: string;
    centralRow: Record<string, unknown>;
  }[];
  batch: {
    deviceId: string;
    meta: { messageId: string; sentAt: string };
    spliced: { topic: string; body: string };
    encoded: { topic: string; body: string };
  };
}

const fixture = JSON.parse(
  readFileSync(new URL("../fixtures/payment-records-v1.json", import.meta.url), "utf8"),
) as Fixture;
const records = fixture.records.map((entry) => entry.record);

describe("the payment record's shape, as written before the record description", () => {
  it("makes the same kiosk rows, column for column and in the same order, with the same audit hashes", () => {
    for (const entry of fixture.records) {
      const row = toRow(entry.record);
      expect(Object.entries(row)).toEqual(Object.entries(entry.kioskRow));
      expect(rowHash(row)).toBe(entry.rowHash);
      expect(rowHash(entry.kioskRow)).toBe(entry.rowHash);
      expect(fromRow(entry.kioskRow)).toEqual(entry.record);
    }
  });

  it("makes the same central rows and content hashes", () => {
    for (const entry of fixture.records) {
      expect(contentHash(entry.record)).toBe(entry.contentHash);
      expect(toCentralRow(entry.record, entry.contentHash)).toEqual(entry.centralRow);
    }
  });

  it("decodes batches the old kiosk sent to the same records", () => {
    for (const message of [fixture.batch.spliced, fixture.batch.encoded]) {
      const decoded = decodeMessage(message.topic, Buffer.from(message.body), {
        direction: "up",
        maxBytes: 1 << 20,
      });
      if (!decoded.ok) throw new Error(`refused: ${decoded.rejection.reason}`);
      expect(decoded.value.kind).toBe("records");
      expect(decoded.value.payload).toEqual({ records });
    }
  });

  it("sends byte for byte what the old kiosk sent", () => {
    const { deviceId, meta } = fixture.batch;
    const stored = records.map((record) => JSON.stringify(fromRow(toRow(record))));
    expect(encodeRecordBatch(deviceId, stored, meta)).toMatchObject(fixture.batch.spliced);
    expect(encodeMessage("records", deviceId, { records }, meta)).toMatchObject(fixture.batch.encoded);
  });
});
