import { join } from "node:path";
import { connectAsync, type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningCentral } from "../../src/central/central.js";
import { ErrorCodes } from "../../src/core/error-codes.js";
import { newId } from "../../src/core/ids.js";
import type { KioskStore } from "../../src/store/kiosk-store.js";
import type { SyncAgent } from "../../src/sync/agent/sync-agent.js";
import { decodeMessage, encodeRecordBatch } from "../../src/sync/protocol/codec.js";
import type { RecordAck } from "../../src/sync/protocol/messages.js";
import { deviceTopic } from "../../src/sync/protocol/topics.js";
import { centralRecord, deadLetters, sqlOf } from "../helpers/central-queries.js";
import { openTestStore, reviseRecord, scratchDir, seedRecords } from "../helpers/kiosk-store.js";
import { type PrivateMosquitto, startMosquitto } from "../helpers/mosquitto.js";
import { createTestDatabase, type TestDatabase } from "../helpers/postgres.js";
import { sampleInvoice } from "../helpers/sync-fixtures.js";
import { expectDelivered, startAgent, startTestCentral } from "../helpers/sync-harness.js";
import { until } from "../helpers/wait.js";

const DEVICE = "kiosk-duplicates";

describe("duplicate deliveries", () => {
  let broker: PrivateMosquitto;
  let database: TestDatabase;
  let dir: ReturnType<typeof scratchDir>;
  let store: KioskStore;
  let agent: SyncAgent;
  let central: RunningCentral;
  let replayer: MqttClient;

  beforeAll(async () => {
    broker = await startMosquitto();
    database = await createTestDatabase();
    dir = scratchDir();
    store = openTestStore(join(dir.path, "kiosk"), DEVICE);
  });

  afterAll(async () => {
    await replayer?.endAsync();
    await agent?.stop();
    await central?.stop();
    store?.close();
    await broker?.dispose();
    await database?.drop();
    dir?.remove();
  });

  it("are acknowledged again and stored once", async () => {
    central = await startTestCentral(database.url, broker.url);
    // Every batch the kiosk sends is delivered twice more, as a broker redelivery or a resend would.
    replayer = await connectAsync(broker.url, { protocolVersion: 5, clientId: "replayer" });
    const records = deviceTopic(DEVICE, "up", "records");
    let replayed = 0;
    const seen = new Set<string>();
    replayer.on("message", (topic, payload) => {
      if (topic !== records) return;
      // The replayer hears its own copies too: each batch is replayed once.
      const { messageId } = JSON.parse(payload.toString()) as { messageId: string };
      if (seen.has(messageId)) return;
      seen.add(messageId);
      replayed += 1;
      replayer.publish(topic, payload, { qos: 1 });
      replayer.publish(topic, payload, { qos: 1 });
    });
    await replayer.subscribeAsync(records, { qos: 1 });

    const seeded = seedRecords(store, sampleInvoice(), DEVICE, 1200);
    for (const record of seeded.slice(0, 100)) reviseRecord(store, record, { note: "second revision" });
    // A short ack timeout makes the agent resend too.
    agent = startAgent(store, DEVICE, broker.url, { batchSize: 40, ackTimeoutMs: 1000 });

    await until(() => store.outbox.depth().depth === 0, "the outbox to drain", 90_000);
    const worker = central.workers[0];
    if (!worker) throw new Error("no worker");
    await until(() => worker.stats.outcomes.duplicate >= 2 * 1300, "every replay to be acknowledged");
    await expectDelivered([store], sqlOf(database.pool));
    expect(replayed).toBeGreaterThanOrEqual(1300 / 40);
    expect(worker.stats.outcomes.stored + worker.stats.outcomes.superseded).toBe(1300);
    expect(worker.stats.outcomes.conflict).toBe(0);
  }, 120_000);

  it("with different content is a conflict: dead-lettered, never overwriting", async () => {
    const db = sqlOf(database.pool);
    const first = (
      store.db.prepare("SELECT payload FROM outbox ORDER BY seq LIMIT 1").get() as { payload: string }
    ).payload;
    const record = JSON.parse(first) as { id: string; revision: number; amount: { minor: number } };
    const before = await centralRecord(db, record.id);
    const forged = { ...record, amount: { ...record.amount, minor: record.amount.minor + 1 } };

    // No more replays: this batch must arrive exactly once.
    replayer.removeAllListeners("message");
    await replayer.unsubscribeAsync(deviceTopic(DEVICE, "up", "records"));
    const acks: RecordAck[] = [];
    replayer.on("message", (topic, payload) => {
      const decoded = decodeMessage(topic, payload, { direction: "down", maxBytes: 1 << 20 });
      if (decoded.ok && decoded.value.kind === "recordAck") acks.push(decoded.value.payload);
    });
    await replayer.subscribeAsync(deviceTopic(DEVICE, "down", "acks"), { qos: 1 });
    const batchId = newId();
    const message = encodeRecordBatch(DEVICE, [JSON.stringify(forged)], {
      messageId: batchId,
      sentAt: new Date().toISOString(),
    });
    await replayer.publishAsync(message.topic, message.body, { qos: 1 });

    await until(() => acks.some((ack) => ack.batchId === batchId), "central's answer");
    expect(acks.find((ack) => ack.batchId === batchId)?.results).toEqual([
      {
        recordId: record.id,
        revision: record.revision,
        outcome: "conflict",
        code: ErrorCodes.SYNC_RECORD_CONFLICT,
        reason: expect.stringContaining("different content"),
      },
    ]);
    expect(await centralRecord(db, record.id)).toEqual(before);
    const letters = await deadLetters(db);
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ code: ErrorCodes.SYNC_RECORD_CONFLICT, device_id: DEVICE });
    expect(letters[0]?.reason).toContain("different content");
  });
});
