import { join } from "node:path";
import { connectAsync, type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningCentral } from "../../src/central/central.js";
import { ErrorCodes } from "../../src/core/error-codes.js";
import { newId } from "../../src/core/ids.js";
import type { KioskStore } from "../../src/store/kiosk-store.js";
import type { SyncAgent } from "../../src/sync/agent/sync-agent.js";
import { decodeMessage, encodeMessage, encodeRecordBatch } from "../../src/sync/protocol/codec.js";
import type { RecordAck } from "../../src/sync/protocol/messages.js";
import { deviceTopic } from "../../src/sync/protocol/topics.js";
import { centralRecord, deadLetters, sqlOf } from "../helpers/central-queries.js";
import { openTestStore, scratchDir, seedRecords } from "../helpers/kiosk-store.js";
import { type PrivateMosquitto, startMosquitto } from "../helpers/mosquitto.js";
import { createTestDatabase, type TestDatabase } from "../helpers/postgres.js";
import { sampleInvoice, sampleRecord } from "../helpers/sync-fixtures.js";
import { expectDelivered, startAgent, startTestCentral } from "../helpers/sync-harness.js";
import { until } from "../helpers/wait.js";

const ROGUE = "kiosk-rogue";
const GOOD = "kiosk-good";
const meta = () => ({ messageId: newId(), sentAt: new Date().toISOString() });

describe("a rogue client", () => {
  let broker: PrivateMosquitto;
  let database: TestDatabase;
  let dir: ReturnType<typeof scratchDir>;
  let central: RunningCentral;
  let rogue: MqttClient;
  let store: KioskStore;
  let agent: SyncAgent;

  beforeAll(async () => {
    // The broker lets 10 MB through (its limit is 16 MB); central's own cap is 1 MiB.
    broker = await startMosquitto({ settings: () => ["max_packet_size 16777216"] });
    database = await createTestDatabase();
    dir = scratchDir();
    store = openTestStore(join(dir.path, "kiosk"), GOOD);
    central = await startTestCentral(database.url, broker.url, { maxMessageBytes: 1024 * 1024 });
    rogue = await connectAsync(broker.url, { protocolVersion: 5, clientId: "rogue" });
  });

  afterAll(async () => {
    await rogue?.endAsync();
    await agent?.stop();
    await central?.stop();
    store?.close();
    await broker?.dispose();
    await database?.drop();
    dir?.remove();
  });

  it("gets every bad message dead-lettered with its reason, and the worker keeps serving", async () => {
    const db = sqlOf(database.pool);
    const records = deviceTopic(ROGUE, "up", "records");
    const invoice = sampleInvoice();
    const acks: RecordAck[] = [];
    rogue.on("message", (topic, payload) => {
      const decoded = decodeMessage(topic, payload, { direction: "down", maxBytes: 1 << 20 });
      if (decoded.ok && decoded.value.kind === "recordAck") acks.push(decoded.value.payload);
    });
    await rogue.subscribeAsync(deviceTopic(ROGUE, "down", "acks"), { qos: 1 });

    const send = (topic: string, body: string | Buffer) => rogue.publishAsync(topic, body, { qos: 1 });
    await send(records, "{ this is not json");
    await send(records, Buffer.from([0, 159, 146, 150, 0, 255]));
    await send(
      records,
      JSON.stringify({ schema: 1, messageId: newId(), deviceId: ROGUE, sentAt: "yesterday", payload: {} }),
    );
    await send(
      records,
      JSON.stringify({ schema: 7, messageId: newId(), deviceId: ROGUE, sentAt: new Date().toISOString() }),
    );
    await send(records, `{"pad":"${"x".repeat(10 * 1024 * 1024)}"}`);
    // Spoofed: the envelope claims another kiosk than the topic.
    const spoof = encodeRecordBatch(
      "kiosk-victim",
      [JSON.stringify(sampleRecord(invoice, "kiosk-victim", 100))],
      meta(),
    );
    await send(records, spoof.body);
    await send(
      deviceTopic(ROGUE, "up", "nonsense"),
      encodeMessage("catalogRequest", ROGUE, { since: 0, limit: 1 }, meta()).body,
    );
    // One batch: a good record, another kiosk's record, a malformed one, and one PostgreSQL refuses.
    const good = sampleRecord(invoice, ROGUE, 4200);
    const foreign = sampleRecord(invoice, "kiosk-victim", 100);
    // Malformed, and carrying a full card number where none may be: it must not reach the disk.
    const malformed = {
      ...sampleRecord(invoice, ROGUE, 100),
      amount: { minor: 1.5, currency: "USD" },
      note: "card 4111111111111111",
    };
    const poison = sampleRecord(invoice, ROGUE, 300, { note: "nul \u0000 inside" });
    const mixedId = newId();
    const mixed = encodeRecordBatch(
      ROGUE,
      [good, foreign, malformed, poison].map((record) => JSON.stringify(record)),
      { messageId: mixedId, sentAt: new Date().toISOString() },
    );
    await send(records, mixed.body);

    await until(async () => (await deadLetters(db)).length >= 10, "ten dead letters", 30_000);
    const letters = await deadLetters(db);
    expect(letters.map((letter) => letter.code).sort()).toEqual(
      [
        ErrorCodes.SYNC_MESSAGE_NOT_JSON,
        ErrorCodes.SYNC_MESSAGE_NOT_JSON,
        ErrorCodes.SYNC_MESSAGE_INVALID,
        ErrorCodes.SYNC_SCHEMA_UNSUPPORTED,
        ErrorCodes.SYNC_MESSAGE_TOO_LARGE,
        ErrorCodes.SYNC_DEVICE_MISMATCH,
        ErrorCodes.SYNC_TOPIC_UNKNOWN,
        ErrorCodes.SYNC_RECORD_FOREIGN,
        ErrorCodes.SYNC_RECORD_INVALID,
        ErrorCodes.SYNC_RECORD_INVALID,
      ].sort(),
    );
    const large = letters.find((letter) => letter.code === ErrorCodes.SYNC_MESSAGE_TOO_LARGE);
    expect(large?.payload_bytes).toBeGreaterThan(10 * 1024 * 1024);
    const [{ kept } = { kept: 0 }] = await db.query<{ kept: number }>(
      `SELECT length(payload) AS kept FROM dead_letters WHERE code = '${ErrorCodes.SYNC_MESSAGE_TOO_LARGE}'`,
    );
    expect(kept).toBe(64 * 1024);
    expect(letters.every((letter) => letter.device_id === ROGUE || letter.device_id === null)).toBe(true);
    const [pans] = await db.query<{ full: unknown; masked: unknown }>(
      `SELECT count(*) FILTER (WHERE position('4111111111111111' in encode(payload, 'escape')) > 0) AS full,
              count(*) FILTER (WHERE position('411111******1111' in encode(payload, 'escape')) > 0) AS masked
       FROM dead_letters`,
    );
    expect(Number(pans?.full)).toBe(0);
    expect(Number(pans?.masked)).toBe(1);

    // The good record of the mixed batch is stored; the others are acknowledged as rejected.
    // (When PostgreSQL refuses a batch, its records are written one by one: one ack each.)
    const mixedResults = () => acks.filter((ack) => ack.batchId === mixedId).flatMap((ack) => ack.results);
    await until(() => mixedResults().length === 4, "the mixed batch's acks");
    expect(mixedResults()).toEqual(
      expect.arrayContaining([
        { recordId: good.id, revision: 1, outcome: "stored" },
        // A rejection says why, so the kiosk can keep it in front of staff.
        expect.objectContaining({
          recordId: foreign.id,
          revision: 1,
          outcome: "rejected",
          code: ErrorCodes.SYNC_RECORD_FOREIGN,
        }),
        expect.objectContaining({
          recordId: malformed.id,
          revision: 1,
          outcome: "rejected",
          code: ErrorCodes.SYNC_RECORD_INVALID,
        }),
        expect.objectContaining({
          recordId: poison.id,
          revision: 1,
          outcome: "rejected",
          code: ErrorCodes.SYNC_RECORD_INVALID,
          reason: expect.stringContaining("NUL"),
        }),
      ]),
    );
    expect(await centralRecord(db, good.id)).toEqual(good);
    expect(await centralRecord(db, foreign.id)).toBeNull();

    // And the worker still serves an honest kiosk.
    seedRecords(store, sampleInvoice(), GOOD, 1000);
    agent = startAgent(store, GOOD, broker.url);
    await until(() => store.outbox.depth().depth === 0, "the honest kiosk's outbox to drain", 60_000);
    const [total] = await db.query<{ n: unknown }>(
      "SELECT count(*) AS n FROM payment_records WHERE device_id = $1",
      [GOOD],
    );
    expect(Number(total?.n)).toBe(1000);
    await expectDelivered([store], db, [GOOD]);
    expect(central.workers[0]?.connected).toBe(true);
  }, 120_000);
});
