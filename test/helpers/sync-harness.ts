import { expect } from "vitest";
import { catalogPageCheckFor } from "../../src/app/catalog-page-check.js";
import { type RunningCentral, startCentral } from "../../src/central/central.js";
import type { Sql } from "../../src/central/db/central-db.js";
import { managedSettingsCheck } from "../../src/config/managed-settings.js";
import { systemClock } from "../../src/core/clock.js";
import { createMemoryLogger, type Logger } from "../../src/core/logger.js";
import type { KioskStore } from "../../src/store/kiosk-store.js";
import { SyncAgent } from "../../src/sync/agent/sync-agent.js";
import { kioskEndpoint } from "../../src/sync/mqtt/endpoint.js";
import { centralTotals } from "./central-queries.js";
import { externalBroker, postgresCentral, testConfig } from "./kiosk-config.js";
import { kioskTotals } from "./kiosk-store.js";

/**
 * A sync agent in the test's process, on `store`, with fast test timings. It applies catalog pages
 * signed with the key whose public half is `centralKeyPem`; none (null) refuses every page.
 */
export function startAgent(
  store: KioskStore,
  deviceId: string,
  brokerUrl: string,
  sync: Record<string, unknown> = {},
  logger: Logger = createMemoryLogger(),
  centralKeyPem: string | null = null,
): SyncAgent {
  const config = testConfig({
    deviceId,
    dataDir: "/tmp",
    sync: { broker: externalBroker(brokerUrl), ...sync },
    extra: { remote: { commandPublicKey: centralKeyPem } },
  });
  const agent = new SyncAgent({
    store,
    deviceId,
    config: config.sync,
    endpoint: kioskEndpoint(config.sync.broker),
    logger,
    clock: systemClock,
    softwareVersion: "test",
    dataDir: "/tmp",
    checkCatalogPage: catalogPageCheckFor(config, systemClock, logger),
  });
  agent.start();
  return agent;
}

/** Central (PostgreSQL + ingest workers) in the test's process. */
export function startTestCentral(
  databaseUrl: string,
  brokerUrl: string,
  ingest: Record<string, unknown> = {},
  logger: Logger = createMemoryLogger(),
): Promise<RunningCentral> {
  const config = testConfig({
    deviceId: "central-test",
    dataDir: "/tmp",
    central: postgresCentral(databaseUrl, brokerUrl, ingest),
  });
  return startCentral({
    config: config.central,
    kioskBroker: config.sync.broker,
    logger,
    clock: systemClock,
    settingsCheck: managedSettingsCheck,
  });
}

/**
 * Nothing lost, nothing doubled: central holds exactly the kiosks' records (count, sum of amounts,
 * sum of revisions), one history row per outbox row, and every outbox row is marked synced.
 */
export async function expectDelivered(
  stores: readonly KioskStore[],
  db: Sql,
  deviceIds?: readonly string[],
): Promise<void> {
  const kiosk = { count: 0, amount: 0, revisions: 0, history: 0 };
  for (const store of stores) {
    const totals = kioskTotals(store);
    expect(totals.unsynced).toBe(0);
    kiosk.count += totals.count;
    kiosk.amount += totals.amount;
    kiosk.revisions += totals.revisions;
    kiosk.history += (store.db.prepare("SELECT count(*) AS n FROM outbox").get() as { n: number }).n;
  }
  expect(await centralTotals(db, deviceIds)).toEqual(kiosk);
}
