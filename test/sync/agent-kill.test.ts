import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningCentral } from "../../src/central/central.js";
import type { KioskStore } from "../../src/store/kiosk-store.js";
import { centralRecordCount, sqlOf } from "../helpers/central-queries.js";
import { type CliProcess, spawnCli } from "../helpers/cli-process.js";
import { externalBroker, writeTestConfig } from "../helpers/kiosk-config.js";
import { openTestStore, reviseRecord, scratchDir, seedRecords } from "../helpers/kiosk-store.js";
import { type PrivateMosquitto, startMosquitto } from "../helpers/mosquitto.js";
import { createTestDatabase, type TestDatabase } from "../helpers/postgres.js";
import { sampleInvoice } from "../helpers/sync-fixtures.js";
import { expectDelivered, startTestCentral } from "../helpers/sync-harness.js";
import { sleep, until } from "../helpers/wait.js";

const DEVICE = "kiosk-agent-kill";

describe("the kiosk's sync agent killed with SIGKILL mid-batch", () => {
  let broker: PrivateMosquitto;
  let database: TestDatabase;
  let dir: ReturnType<typeof scratchDir>;
  let store: KioskStore;
  let central: RunningCentral;
  let agent: CliProcess | null = null;

  beforeAll(async () => {
    broker = await startMosquitto();
    database = await createTestDatabase();
    dir = scratchDir();
    store = openTestStore(join(dir.path, "kiosk"), DEVICE);
  });

  afterAll(async () => {
    await agent?.kill();
    await central?.stop();
    store?.close();
    await broker?.dispose();
    await database?.drop();
    dir?.remove();
  });

  it("loses nothing and doubles nothing: the restarted agent resends from the outbox", async () => {
    const config = writeTestConfig(dir.path, "kiosk", {
      deviceId: DEVICE,
      dataDir: join(dir.path, "kiosk"),
      sync: { broker: externalBroker(broker.url), batchSize: 100, maxInFlightBatches: 4 },
    });
    const db = sqlOf(database.pool);
    const invoice = sampleInvoice();
    const records = seedRecords(store, invoice, DEVICE, 2000);
    central = await startTestCentral(database.url, broker.url);
    agent = spawnCli(["sync", "--config", config]);

    // Killed with acks applied and batches in flight.
    await until(() => store.outbox.depth().depth <= 1600, "400 records acknowledged", 60_000, 2);
    await agent.kill("SIGKILL");
    const unsynced = store.outbox.depth().depth;
    expect(unsynced).toBeGreaterThan(0);
    expect(unsynced).toBeLessThanOrEqual(1600);

    // The broker publishes the agent's Last Will.
    await until(
      async () =>
        (
          await db.query(
            "SELECT 1 FROM devices WHERE device_id = $1 AND state = 'offline' AND state_reason = 'connection-lost'",
            [DEVICE],
          )
        ).length === 1,
      "the Last Will to mark the kiosk offline",
    );

    // Payments go on while the agent is down; the kiosk's database is the queue.
    seedRecords(store, invoice, DEVICE, 200);
    for (const record of records.slice(0, 150)) reviseRecord(store, record, { note: "revised while down" });
    await sleep(300);

    agent = spawnCli(["sync", "--config", config]);
    await until(() => store.outbox.depth().depth === 0, "the outbox to drain after the restart", 90_000);
    await expectDelivered([store], db);
    expect(await centralRecordCount(db)).toBe(2200);
    // The restarted agent's later connection wins over the Last Will.
    const [device] = await db.query<{ state: string }>("SELECT state FROM devices WHERE device_id = $1", [
      DEVICE,
    ]);
    expect(device?.state).toBe("online");
  }, 180_000);
});
