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
      const row: Record<string, unknown> = toRow(entry.record);
      const old = Object.keys(entry.kioskRow);
      expect(Object.entries(row).slice(0, old.length)).toEqual(Object.entries(entry.kioskRow));
      // A column added since is null for what the old code wrote.
      for (const column of Object.keys(row).slice(old.length)) expect(row[column], column).toBeNull();
      expect(rowHash(row as RecordRow)).toBe(entry.rowHash);
      expect(rowHash(entry.kioskRow)).toBe(entry.rowHash);
      expect(fromRow(entry.kioskRow)).toEqual(entry.record);
    }
  });

  it("makes the same central rows and content hashes", () => {
    for (const entry of fixture.records) {
      expect(contentHash(entry.record)).toBe(entry.contentHash);
      const row = toCentralRow(entry.record, entry.contentHash);
      const added = Object.keys(row).filter((column) => !(column in entry.centralRow));
      expect(Object.fromEntries(Object.entries(row).filter(([column]) => !added.includes(column)))).toEqual(
        entry.centralRow,
      );
      for (const column of added) expect(row[column], column).toBeNull();
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
