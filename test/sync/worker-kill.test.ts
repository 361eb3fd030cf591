import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KioskStore } from "../../src/store/kiosk-store.js";
import type { SyncAgent } from "../../src/sync/agent/sync-agent.js";
import { centralRecordCount, schemaReady, sqlOf } from "../helpers/central-queries.js";
import { type CliProcess, spawnCli } from "../helpers/cli-process.js";
import { postgresCentral, writeTestConfig } from "../helpers/kiosk-config.js";
import { openTestStore, reviseRecord, scratchDir, seedRecords } from "../helpers/kiosk-store.js";
import { type PrivateMosquitto, startMosquitto } from "../helpers/mosquitto.js";
import { createTestDatabase, type TestDatabase } from "../helpers/postgres.js";
import { sampleInvoice } from "../helpers/sync-fixtures.js";
import { expectDelivered, startAgent } from "../helpers/sync-harness.js";
import { until } from "../helpers/wait.js";

const DEVICE = "kiosk-worker-kill";

describe("an ingest worker killed with SIGKILL mid-batch", () => {
  let broker: PrivateMosquitto;
  let database: TestDatabase;
  let dir: ReturnType<typeof scratchDir>;
  let store: KioskStore;
  let agent: SyncAgent;
  let worker: CliProcess | null = null;

  beforeAll(async () => {
    broker = await startMosquitto();
    database = await createTestDatabase();
    dir = scratchDir();
    store = openTestStore(join(dir.path, "kiosk"), DEVICE);
  });

  afterAll(async () => {
    await agent?.stop();
    await worker?.kill();
    store?.close();
    await broker?.dispose();
    await database?.drop();
    dir?.remove();
  });

  it("loses nothing and doubles nothing after a restart", async () => {
    const config = writeTestConfig(dir.path, "central", {
      deviceId: "central-host",
      dataDir: join(dir.path, "unused"),
      central: postgresCentral(database.url, broker.url, { maxBatchRecords: 300 }),
    });
    const db = sqlOf(database.pool);
    const records = seedRecords(store, sampleInvoice(), DEVICE, 4000);
    for (const record of records.slice(0, 200)) reviseRecord(store, record, { note: "revised" });
    worker = spawnCli(["central", "--config", config]);
    await until(() => schemaReady(db), "central's schema");
    agent = startAgent(store, DEVICE, broker.url, { batchSize: 100, maxInFlightBatches: 4 });

    // Kill while a transaction writing records is open, once a good part has arrived.
    const writing = async (): Promise<boolean> => {
      const [row] = await db.query<{ n: unknown }>(
        `SELECT count(*) AS n FROM pg_stat_activity
         WHERE datname = current_database() AND pid <> pg_backend_pid()
           AND (state = 'idle in transaction' OR (state = 'active' AND query ILIKE '%payment_record%'))`,
      );
      return Number(row?.n) > 0;
    };
    // (Should the drain outrun the poll, kill it halfway anyway: mid-stream, if not mid-transaction.)
    await until(
      async () => {
        const count = await centralRecordCount(db);
        return count >= 400 && (count >= 2000 || (await writing()));
      },
      "a batch in progress",
      60_000,
      1,
    );
    await worker.kill("SIGKILL");
    const atKill = await centralRecordCount(db);
    expect(atKill).toBeLessThan(4000);
    expect(store.outbox.depth().depth).toBeGreaterThan(0);

    worker = spawnCli(["central", "--config", config]);
    await until(() => store.outbox.depth().depth === 0, "the outbox to drain after the restart", 90_000);
    await expectDelivered([store], db);
    expect(await centralRecordCount(db)).toBe(4000);
  }, 180_000);
});
