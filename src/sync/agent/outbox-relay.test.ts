import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openTestStore, reviseRecord, scratchDir, seedRecords } from "../../../test/helpers/kiosk-store.js";
import { sampleInvoice } from "../../../test/helpers/sync-fixtures.js";
import { systemClock } from "../../core/clock.js";
import { newId } from "../../core/ids.js";
import { createMemoryLogger } from "../../core/logger.js";
import type { KioskStore } from "../../store/kiosk-store.js";
import { decodeMessage, type Outgoing } from "../protocol/codec.js";
import type { RecordAck } from "../protocol/messages.js";
import { OutboxRelay, type RelayOptions } from "./outbox-relay.js";

const DEVICE = "kiosk-relay";
const until = async (check: () => boolean, ms = 3000): Promise<void> => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

interface SentBatch {
  messageId: string;
  records: { id: string; revision: number }[];
}

function batchOf(message: Outgoing): SentBatch {
  const decoded = decodeMessage(message.topic, Buffer.from(message.body), {
    direction: "up",
    maxBytes: 1 << 24,
  });
  if (!decoded.ok || decoded.value.kind !== "records") throw new Error("not a valid batch");
  return {
    messageId: decoded.value.messageId,
    records: decoded.value.payload.records.map((record) => ({ id: record.id, revision: record.revision })),
  };
}

const ackFor = (batch: SentBatch): RecordAck => ({
  batchId: batch.messageId,
  results: batch.records.map((record) => ({
    recordId: record.id,
    revision: record.revision,
    outcome: "stored",
  })),
});

describe("OutboxRelay", () => {
  let dir: ReturnType<typeof scratchDir>;
  let store: KioskStore;
  let relay: OutboxRelay | null = null;

  beforeEach(() => {
    dir = scratchDir();
    store = openTestStore(dir.path, DEVICE);
  });
  afterEach(() => {
    relay?.stop();
    store.close();
    dir.remove();
  });

  const start = (options: Partial<RelayOptions> = {}) => {
    const sent: SentBatch[] = [];
    relay = new OutboxRelay({
      outbox: store.outbox,
      deviceId: DEVICE,
      clock: systemClock,
      newId,
      logger: createMemoryLogger(),
      options: {
        batchSize: 10,
        maxBatchBytes: 1 << 20,
        lingerMs: 0,
        maxInFlightBatches: 3,
        ackTimeoutMs: 60_000,
        pollIntervalMs: 20,
        ...options,
      },
    });
    relay.attach((message) => sent.push(batchOf(message)));
    return { relay, sent };
  };

  it("sends in outbox order, at most N batches ahead, and marks synced only on central's ack", async () => {
    const records = seedRecords(store, sampleInvoice(), DEVICE, 95);
    const { relay, sent } = start();
    await until(() => sent.length === 3);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(sent).toHaveLength(3);
    expect(store.outbox.depth().depth).toBe(95);

    let acked = 0;
    while (store.outbox.depth().depth > 0) {
      await until(() => sent.length > acked);
      relay.acknowledge(ackFor(sent[acked] as SentBatch));
      acked += 1;
    }
    const order = sent.flatMap((batch) => batch.records.map((record) => record.id));
    expect(order).toEqual(records.map((record) => record.id));
    expect(sent.every((batch) => batch.records.length <= 10)).toBe(true);
    expect(relay.stats.recordsAcked).toBe(95);
    expect(relay.lastSyncAt).not.toBeNull();
  });

  it("after a reconnect, sends everything unsynced again from the oldest", async () => {
    const invoice = sampleInvoice();
    const records = seedRecords(store, invoice, DEVICE, 25);
    const { relay, sent } = start({ maxInFlightBatches: 2 });
    await until(() => sent.length === 2);
    const first = sent[0];
    if (!first) throw new Error("nothing sent");
    relay.acknowledge(ackFor(first));
    relay.detach();
    const resent: SentBatch[] = [];
    relay.attach((message) => resent.push(batchOf(message)));
    await until(() => resent.length === 2);
    expect(resent[0]?.records[0]?.id).toBe(records[10]?.id);
    // A revision written meanwhile follows its record in order.
    const revised = reviseRecord(store, records[24] as (typeof records)[number], { note: "changed" });
    for (const batch of resent) relay.acknowledge(ackFor(batch));
    await until(() =>
      resent.some((batch) => batch.records.some((r) => r.id === revised.id && r.revision === 2)),
    );
  });

  it("sends again when an ack is overdue, and a late ack still counts", async () => {
    seedRecords(store, sampleInvoice(), DEVICE, 5);
    const { relay, sent } = start({ ackTimeoutMs: 200 });
    await until(() => sent.length === 1);
    await until(() => sent.length === 2, 2000);
    expect(sent[1]?.records).toEqual(sent[0]?.records);
    expect(relay.stats.resends).toBeGreaterThanOrEqual(1);
    relay.acknowledge(ackFor(sent[0] as SentBatch));
    expect(store.outbox.depth().depth).toBe(0);
  });

  it("cuts batches by bytes and lingers for a fuller batch", async () => {
    seedRecords(store, sampleInvoice(), DEVICE, 6);
    const { sent } = start({ maxBatchBytes: 4096, batchSize: 100, lingerMs: 150 });
    const began = Date.now();
    await until(() => sent.length >= 1);
    expect(Date.now() - began).toBeGreaterThanOrEqual(140);
    await until(() => sent.flatMap((b) => b.records).length === 6);
    expect(sent.length).toBeGreaterThan(1);
    expect(sent.every((batch) => batch.records.length < 6)).toBe(true);
  });
});
