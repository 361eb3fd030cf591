import { join } from "node:path";
import type { MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addUser } from "../../src/central/dashboard/auth/users.js";
import { ErrorCodes } from "../../src/core/error-codes.js";
import { newId } from "../../src/core/ids.js";
import type { PaymentRecord } from "../../src/payments/payment-record.js";
import type { KioskStore } from "../../src/store/kiosk-store.js";
import type { SyncAgent } from "../../src/sync/agent/sync-agent.js";
import { decodeMessage, encodeRecordBatch } from "../../src/sync/protocol/codec.js";
import type { RecordAckResult } from "../../src/sync/protocol/messages.js";
import { deviceTopic } from "../../src/sync/protocol/topics.js";
import { type CentralProcess, spawnCentral, untilLogged } from "../helpers/central-process.js";
import { centralRecord, schemaReady, sqlOf } from "../helpers/central-queries.js";
import { DashboardClient, mqttClient, OPERATOR } from "../helpers/dashboard.js";
import { openTestStore, scratchDir, seedRecords } from "../helpers/kiosk-store.js";
import { type PrivateMosquitto, startMosquitto } from "../helpers/mosquitto.js";
import { freePort } from "../helpers/ports.js";
import { createTestDatabase, type TestDatabase } from "../helpers/postgres.js";
import { sampleInvoice, sampleRecord } from "../helpers/sync-fixtures.js";
import { expectDelivered, startAgent } from "../helpers/sync-harness.js";
import { sleep, until } from "../helpers/wait.js";

const ROGUE = "kiosk-rogue";
const HONEST = "kiosk-honest";
/** One past PostgreSQL's integer: the revision column refuses it (issue #18's wedge). */
const REVISION_PAST_INT4 = 2 ** 31;
const UPLINK_TOPICS = [
  "records",
  "state",
  "telemetry",
  "catalog/request",
  "config/reported",
  "commands/result",
  "cards/saved",
];

describe("poison messages from one kiosk account (central as a process, PostgreSQL, Mosquitto)", () => {
  let broker: PrivateMosquitto;
  let database: TestDatabase;
  let dir: ReturnType<typeof scratchDir>;
  let central: CentralProcess;
  let dashboardUrl: string;
  let rogue: MqttClient;
  let store: KioskStore;
  let agent: SyncAgent | null = null;
  const acks: RecordAckResult[] = [];

  const db = () => sqlOf(database.pool);
  const lettersOf = async (deviceId: string) =>
    db().query<{ code: string; record_id: string | null; revision: number | null; reason: string }>(
      "SELECT code, record_id, revision, reason FROM dead_letters WHERE device_id = $1 ORDER BY id",
      [deviceId],
    );
  const rollbacks = async (): Promise<number> => {
    const [row] = await db().query<{ n: unknown }>(
      "SELECT xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()",
    );
    return Number(row?.n);
  };
  /** The honest kiosk's next records, synced by its agent: central still stores every kiosk's records. */
  const honestKioskSyncs = async (count: number): Promise<void> => {
    seedRecords(store, sampleInvoice(), HONEST, count);
    agent ??= startAgent(store, HONEST, broker.url);
    await until(() => store.outbox.depth().depth === 0, "the honest kiosk's outbox to drain", 60_000);
    await expectDelivered([store], db(), [HONEST]);
  };

  beforeAll(async () => {
    broker = await startMosquitto();
    database = await createTestDatabase();
    dir = scratchDir();
    store = openTestStore(join(dir.path, "kiosk"), HONEST);
    const port = await freePort();
    dashboardUrl = `http://127.0.0.1:${port}`;
    // Two workers of two slots each: the wedge took every slot.
    central = spawnCentral(dir.path, "central", database.url, broker.url, {
      ingest: { workers: 2, concurrentBatches: 2 },
      central: { dashboard: { enabled: true, host: "127.0.0.1", port } },
    });
    await until(() => schemaReady(db()), "central's schema");
    await untilLogged(central, "ingest subscribed");
    await addUser(db(), OPERATOR.name, OPERATOR.password, new Date().toISOString(), { replace: false });
    rogue = await mqttClient(broker.url);
    rogue.on("message", (topic, payload) => {
      const decoded = decodeMessage(topic, payload, { direction: "down", maxBytes: 1 << 20 });
      if (decoded.ok && decoded.value.kind === "recordAck") acks.push(...decoded.value.payload.results);
    });
    await rogue.subscribeAsync(deviceTopic(ROGUE, "down", "acks"), { qos: 1 });
  }, 60_000);

  afterAll(async () => {
    await agent?.stop();
    await rogue?.endAsync();
    await central?.kill("SIGKILL");
    store?.close();
    await broker?.dispose();
    await database?.drop();
    dir?.remove();
  });

  it("a revision of 2^31 costs only its own record, in every worker slot at once, and is a dead letter with why", async () => {
    const invoice = sampleInvoice();
    const good: PaymentRecord[] = [];
    const poison: PaymentRecord[] = [];
    // Twelve batches at once, each a good record beside a poisoned one: enough for every slot.
    await Promise.all(
      Array.from({ length: 12 }, async () => {
        const fine = sampleRecord(invoice, ROGUE, 500);
        const bad = sampleRecord(invoice, ROGUE, 700, { revision: REVISION_PAST_INT4 });
        good.push(fine);
        poison.push(bad);
        const batch = encodeRecordBatch(ROGUE, [JSON.stringify(fine), JSON.stringify(bad)], {
          messageId: newId(),
          sentAt: new Date().toISOString(),
        });
        await rogue.publishAsync(batch.topic, batch.body, { qos: 1 });
      }),
    );
    await until(() => acks.length >= 12, "an ack for every good record", 30_000);
    for (const record of good) {
      expect(acks).toContainEqual({ recordId: record.id, revision: 1, outcome: "stored" });
      expect(await centralRecord(db(), record.id)).toEqual(record);
    }
    // The record's schema bounds the revision to PostgreSQL's integer: the poisoned record is a dead
    // letter, and no ack names a revision no kiosk can have (an ack's revision is bounded the same way).
    await until(async () => (await lettersOf(ROGUE)).length >= 12, "a dead letter for every poisoned record");
    for (const record of poison) expect(acks.some((ack) => ack.recordId === record.id)).toBe(false);
    const letters = await lettersOf(ROGUE);
    expect(letters.map((letter) => letter.record_id).sort()).toEqual(
      poison.map((record) => record.id).sort(),
    );
    // The column cannot hold the revision, so the letter leaves it out; the reason keeps it.
    expect(letters.every((letter) => letter.revision === null)).toBe(true);

    // Nothing is retried any more: PostgreSQL sees no further failed transaction.
    await sleep(1500);
    const before = await rollbacks();
    await sleep(2500);
    expect(await rollbacks()).toBe(before);

    // Every dead letter is in central's log with its code, and central serves everyone else.
    for (const record of poison) expect(central.output()).toContain(`record ${record.id}`);
    expect(central.output()).toMatch(/\[SYNC_RECORD_[A-Z_]+\] dead letter from kiosk-rogue/);
    await honestKioskSyncs(300);
    expect(central.alive()).toBe(true);
  }, 120_000);

  it("arrays nested 5,000 deep on every uplink topic are dead letters, unparsed, and central stays up", async () => {
    const deep = `${"[".repeat(5000)}${"]".repeat(5000)}`;
    const inEnvelope = (payload: string) =>
      `{"schema":1,"messageId":"${newId()}","deviceId":"${ROGUE}","sentAt":"${new Date().toISOString()}","payload":${payload}}`;
    const before = (await lettersOf(ROGUE)).length;
    for (const suffix of UPLINK_TOPICS) {
      const topic = deviceTopic(ROGUE, "up", suffix);
      await rogue.publishAsync(topic, deep, { qos: 1 });
      await rogue.publishAsync(topic, inEnvelope(`{"settings":{"x":${deep}}}`), { qos: 1 });
      await rogue.publishAsync(topic, inEnvelope(`{"records":[{"note":${deep}}]}`), { qos: 1 });
    }
    const expected = before + UPLINK_TOPICS.length * 3;
    await until(async () => (await lettersOf(ROGUE)).length >= expected, "a dead letter for each", 30_000);
    const letters = (await lettersOf(ROGUE)).slice(before);
    expect(letters).toHaveLength(UPLINK_TOPICS.length * 3);
    expect(new Set(letters.map((letter) => letter.code))).toEqual(
      new Set([ErrorCodes.SYNC_MESSAGE_TOO_DEEP]),
    );
    expect(central.output()).not.toContain("Maximum call stack size exceeded");
    expect(central.alive()).toBe(true);
    await honestKioskSyncs(50);
  }, 120_000);

  it("the dashboard's dead letters show the refused records with their kiosk and code", async () => {
    const client = new DashboardClient(dashboardUrl);
    expect((await client.signIn()).status).toBe(303);
    const page = await client.get("/dead-letters?records=1");
    expect(page.status).toBe(200);
    const rows = page.text.split('data-test="dead-letter"').slice(1);
    expect(rows).toHaveLength(12);
    for (const row of rows) {
      expect(row).toMatch(/data-code="SYNC_RECORD_[A-Z_]+"/);
      expect(row).toContain(`<td>${ROGUE}</td>`);
      expect(row).toMatch(/data-test="dead-letter-record"><code>[0-9a-f-]{36}<\/code> rev \?/);
    }
    // Without the filter, the refused messages are there too.
    const all = await client.get("/dead-letters");
    expect(all.text).toContain(`data-code="${ErrorCodes.SYNC_MESSAGE_TOO_DEEP}"`);
  });

  it("stops on SIGTERM within 10 s, with exit code 0", async () => {
    const stopped = await central.terminate();
    expect(stopped.ms).toBeLessThan(10_000);
    expect(stopped.code).toBe(0);
    expect(central.output()).toContain("central stopped");
  }, 20_000);
});
