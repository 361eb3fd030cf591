import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningCentral } from "../../src/central/central.js";
import type { KioskStore } from "../../src/store/kiosk-store.js";
import type { SyncAgent } from "../../src/sync/agent/sync-agent.js";
import { centralRecordCount, sqlOf } from "../helpers/central-queries.js";
import { openTestStore, reviseRecord, scratchDir, seedRecords } from "../helpers/kiosk-store.js";
import { type PrivateMosquitto, startMosquitto } from "../helpers/mosquitto.js";
import { createTestDatabase, type TestDatabase } from "../helpers/postgres.js";
import { sampleInvoice } from "../helpers/sync-fixtures.js";
import { expectDelivered, startAgent, startTestCentral } from "../helpers/sync-harness.js";
import { sleep, until } from "../helpers/wait.js";

const DEVICE = "kiosk-broker-restart";

describe("the broker stops and comes back mid-stream", () => {
  let broker: PrivateMosquitto;
  let database: TestDatabase;
  let dir: ReturnType<typeof scratchDir>;
  let store: KioskStore;
  let agent: SyncAgent;
  let central: RunningCentral;

  beforeAll(async () => {
    broker = await startMosquitto();
    database = await createTestDatabase();
    dir = scratchDir();
    store = openTestStore(join(dir.path, "kiosk"), DEVICE);
  });

  afterAll(async () => {
    await agent?.stop();
    await central?.stop();
    store?.close();
    await broker?.dispose();
    await database?.drop();
    dir?.remove();
  });

  it("loses nothing and doubles nothing", async () => {
    const invoice = sampleInvoice();
    const records = seedRecords(store, invoice, DEVICE, 1500);
    central = await startTestCentral(database.url, broker.url, { maxBatchRecords: 200 });
    agent = startAgent(store, DEVICE, broker.url, { batchSize: 50, maxInFlightBatches: 2 });
    const db = sqlOf(database.pool);

    await until(async () => (await centralRecordCount(db)) >= 300, "central to have 300 records");
    await broker.stop("SIGKILL");
    // What the worker had already taken from the broker is still written; then nothing moves.
    await until(() => !agent.connected, "the agent to notice");
    await sleep(500);
    const atStop = await centralRecordCount(db);
    expect(atStop).toBeLessThan(1500);

    // The kiosk keeps taking payments while the broker is gone; they wait in the outbox.
    seedRecords(store, invoice, DEVICE, 300);
    for (const record of records.slice(0, 100))
      reviseRecord(store, record, { status: "voided", voidedBy: "mgr" });
    await sleep(1500);
    expect(await centralRecordCount(db)).toBe(atStop);

    await broker.start();
    await until(() => store.outbox.depth().depth === 0, "the outbox to drain after the restart", 60_000);
    await expectDelivered([store], db);
    expect(await centralRecordCount(db)).toBe(1800);
  }, 180_000);
});
