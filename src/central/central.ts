import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import type { BrokerConfig } from "../sync/config.js";
import { centralEndpoint } from "../sync/mqtt/endpoint.js";
import type { CentralConfig } from "./config.js";
import { type RunningDashboard, startDashboard } from "./dashboard/dashboard-server.js";
import type { CentralDb } from "./db/central-db.js";
import { openCentralDb } from "./db/open-central-db.js";
import { IngestWorker } from "./ingest/ingest-worker.js";
import { migrateCentral } from "./migrate.js";
import { seedCatalog } from "./seed-catalog.js";

export interface CentralDeps {
  readonly config: CentralConfig;
  /** The kiosk's broker section: where the embedded broker listens, when central uses it. */
  readonly kioskBroker: BrokerConfig;
  readonly logger: Logger;
  readonly clock: Clock;
}

export interface RunningCentral {
  readonly db: CentralDb;
  readonly workers: readonly IngestWorker[];
  /** The fleet dashboard, when central.dashboard.enabled (null also when it failed to start). */
  readonly dashboard: RunningDashboard | null;
  stop(): Promise<void>;
}

/**
 * Opens and migrates central's database, then starts the ingest workers and, when configured, the
 * fleet dashboard. A dashboard that cannot start is logged and leaves ingest running: records
 * keep arriving.
 */
export async function startCentral({
  config,
  kioskBroker,
  logger,
  clock,
}: CentralDeps): Promise<RunningCentral> {
  const endpoint = centralEndpoint(config.broker, kioskBroker);
  const db = await openCentralDb(config.database, logger.child("db"));
  try {
    await migrateCentral(db, logger.child("db"));
    if (config.database.mode === "embedded" && config.database.seedCatalogFile)
      await seedCatalog(db, config.database.seedCatalogFile, clock, logger);
  } catch (error) {
    await db.close();
    throw error;
  }
  // aedes has no shared subscriptions: with the embedded broker, one worker subscribes plainly.
  const shareGroup = config.broker.mode === "embedded" ? null : config.ingest.shareGroup;
  const count = shareGroup === null ? 1 : config.ingest.workers;
  if (shareGroup === null && config.ingest.workers > 1) {
    logger.warn("the embedded broker cannot share a subscription: running one ingest worker");
  }
  const workers = Array.from(
    { length: count },
    (_, index) =>
      new IngestWorker({
        db,
        endpoint,
        shareGroup,
        config: config.ingest,
        logger: logger.child(`ingest-${index + 1}`),
        clock,
      }),
  );
  for (const worker of workers) worker.start();
  logger.info(`central running: ${db.kind} database, ${count} ingest worker(s)`, { broker: endpoint.url });
  let dashboard: RunningDashboard | null = null;
  if (config.dashboard.enabled) {
    try {
      dashboard = await startDashboard({
        db,
        config: config.dashboard,
        endpoint,
        backoff: config.ingest.reconnect,
        logger: logger.child("dashboard"),
        clock,
      });
    } catch (error) {
      const code = (error as { code?: unknown }).code ?? "INTERNAL";
      logger.error(`the fleet dashboard did not start: ${(error as Error).message}`, { code: String(code) });
    }
  }
  return {
    db,
    workers,
    dashboard,
    stop: async () => {
      await dashboard
        ?.stop()
        .catch((error: unknown) => logger.warn(`stopping the dashboard failed: ${(error as Error).message}`));
      await Promise.all(workers.map((worker) => worker.stop()));
      await db.close();
      logger.info("central stopped");
    },
  };
}
