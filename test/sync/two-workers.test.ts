import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningCentral } from "../../src/central/central.js";
import type { KioskStore } from "../../src/store/kiosk-store.js";
import type { SyncAgent } from "../../src/sync/agent/sync-agent.js";
import { sqlOf } from "../helpers/central-queries.js";
import { openTestStore, reviseRecord, scratchDir, seedRecords } from "../helpers/kiosk-store.js";
import { type PrivateMosquitto, startMosquitto } from "../helpers/mosquitto.js";
import { createTestDatabase, type TestDatabase } from "../helpers/postgres.js";
import { sampleInvoice } from "../helpers/sync-fixtures.js";
import { expectDelivered, startAgent, startTestCentral } from "../helpers/sync-harness.js";
import { until } from "../helpers/wait.js";

const DEVICES = ["kiosk-share-a", "kiosk-share-b", "kiosk-share-c"];

describe("two ingest workers on one shared subscription", () => {
  let broker: PrivateMosquitto;
  let database: TestDatabase;
  let dir: ReturnType<typeof scratchDir>;
  let stores: KioskStore[] = [];
  const agents: SyncAgent[] = [];
  const centrals: RunningCentral[] = [];

  beforeAll(async () => {
    broker = await startMosquitto();
    database = await createTestDatabase();
    dir = scratchDir();
    stores = DEVICES.map((device) => openTestStore(join(dir.path, device), device));
  });

  afterAll(async () => {
    for (const agent of agents) await agent.stop();
    for (const central of centrals) await central.stop();
    for (const store of stores) store.close();
    await broker?.dispose();
    await database?.drop();
    dir?.remove();
  });

  it("split the load, and together lose nothing and double nothing", async () => {
    // Two centrals, as two processes would be: each its own pool and its own broker connection.
    centrals.push(await startTestCentral(database.url, broker.url));
    centrals.push(await startTestCentral(database.url, broker.url));
    await until(
      () => centrals.every((central) => central.workers.every((worker) => worker.connected)),
      "workers",
    );
    DEVICES.forEach((device, index) => {
      const store = stores[index] as KioskStore;
      const records = seedRecords(store, sampleInvoice(), device, 600);
      for (const record of records.slice(0, 60))
        reviseRecord(store, record, { status: "voided", voidedBy: "mgr" });
      agents.push(startAgent(store, device, broker.url, { batchSize: 50 }));
    });

    await until(
      () => stores.every((store) => store.outbox.depth().depth === 0),
      "every kiosk's outbox to drain",
      90_000,
    );
    await expectDelivered(stores, sqlOf(database.pool));
    const stored = centrals.map((central) => central.workers[0]?.stats.outcomes.stored ?? 0);
    expect(stored.every((count) => count > 0)).toBe(true);
    // Each revision was stored by one worker or the other (and reported "superseded" when a later
    // revision of the same record had got there first through the other worker).
    const superseded = centrals.map((central) => central.workers[0]?.stats.outcomes.superseded ?? 0);
    const total = [...stored, ...superseded].reduce((sum, count) => sum + count, 0);
    expect(total).toBe(3 * 660);
  }, 180_000);
});
