import type { Clock } from "../core/clock.js";
import { ErrorCodes } from "../core/error-codes.js";
import { newId } from "../core/ids.js";
import { KioskError } from "../core/kiosk-error.js";
import type { Logger } from "../core/logger.js";
import { readOwnerOnlySecret } from "../core/secret-file.js";
import type { BrokerConfig } from "../sync/config.js";
import { centralEndpoint } from "../sync/mqtt/endpoint.js";
import type { AlertWatch } from "./alerts/alert-watch.js";
import { startAlerts } from "./alerts/start-alerts.js";
import { BalancePusher } from "./balances/balance-pusher.js";
import { type AuthorizeNetConnector, startAuthorizeNetSide } from "./card-operations/authorize-net-side.js";
import { nudgeKiosks } from "./catalog-nudge.js";
import { CatalogSigner } from "./catalog-signer.js";
import type { CentralConfig } from "./config.js";
import { CommandKeyHolder } from "./dashboard/control/command-key.js";
import type { ManagedSettingsCheck } from "./dashboard/control/settings-check.js";
import { type RunningDashboard, startDashboard } from "./dashboard/dashboard-server.js";
import { type DatabaseWait, untilDatabaseReady } from "./database-wait.js";
import type { CentralDb } from "./db/central-db.js";
import { openCentralDb } from "./db/open-central-db.js";
import { knownDevices } from "./device-writer.js";
import { IngestWorker } from "./ingest/ingest-worker.js";
import { type RunningIntegrationApi, startIntegrationApi } from "./integration-api/api-server.js";
import { startReceiptMail } from "./mail/start-receipt-mail.js";
import { CentralMetrics } from "./metrics/central-metrics.js";
import { migrateCentral } from "./migrate.js";
import { type NotReadyServer, serveNotReady } from "./not-ready-server.js";
import { seedCatalog } from "./seed-catalog.js";
import type { RunningStripeWebhooks } from "./stripe/stripe-webhooks.js";
import { withTimeLimit } from "./time-limit.js";

export interface CentralDeps {
  readonly config: CentralConfig;
  /** The kiosk's broker section: where the embedded broker listens, when central uses it. */
  readonly kioskBroker: BrokerConfig;
  readonly logger: Logger;
  readonly clock: Clock;
  /** How the dashboard checks a desired configuration's settings (the kiosk's schema, from the app). */
  readonly settingsCheck: ManagedSettingsCheck;
  /**
   * Wait for an unreachable database (with backoff, until it answers or the signal stops it)
   * instead of failing at once: `spectra-kiosk central` does; a kiosk running central too does not.
   */
  readonly waitForDatabase?: DatabaseWait;
  /** Connects to Authorize.Net for the refunds central makes (central.authorizeNet); from the app. */
  readonly connectAuthorizeNet?: AuthorizeNetConnector;
}

/** Stopping central takes at most about this long, whatever state its database and broker are in. */
const DB_CLOSE_MS = 1500;

export interface RunningCentral {
  readonly db: CentralDb;
  readonly workers: readonly IngestWorker[];
  /** The fleet dashboard, when central.dashboard.enabled (null also when it failed to start). */
  readonly dashboard: RunningDashboard | null;
  /** Pushes invoice accounts to the kiosks and answers their pulls. */
  readonly balances: BalancePusher;
  /** The integration API, when central.integrationApi.enabled (null also when it failed to start). */
  readonly integrationApi: RunningIntegrationApi | null;
  /** Stripe's webhook endpoint, when central.stripe is set (null also when it failed to start). */
  readonly stripeWebhooks: RunningStripeWebhooks | null;
  /** The alert watch, when central.alerts.enabled. */
  readonly alerts: AlertWatch | null;
  stop(): Promise<void>;
}

/**
 * Opens and migrates central's database — waiting for it while it is unreachable, when asked to,
 * with the dashboard's address answering "not ready" meanwhile — then starts the ingest workers and,
 * when configured, the fleet dashboard. A dashboard that cannot start is logged and leaves ingest
 * running: records keep arriving.
 */
export async function startCentral({
  config,
  kioskBroker,
  logger,
  clock,
  settingsCheck,
  waitForDatabase,
  connectAuthorizeNet,
}: CentralDeps): Promise<RunningCentral> {
  const endpoint = centralEndpoint(config.broker, kioskBroker);
  const db = await openCentralDb(config.database, logger.child("db"), {
    lazily: waitForDatabase !== undefined,
  });
  const prepare = async (): Promise<void> => {
    await migrateCentral(db, logger.child("db"));
    if (config.database.mode === "embedded" && config.database.seedCatalogFile)
      await seedCatalog(db, config.database.seedCatalogFile, clock, logger);
  };
  // While waiting: the dashboard's address says central is not ready yet.
  const waiting: { page: Promise<NotReadyServer | null> | null } = { page: null };
  try {
    if (!waitForDatabase) await prepare();
    else {
      const ready = await untilDatabaseReady(
        prepare,
        {
          ...waitForDatabase,
          onWaiting: (reason) => {
            if (config.dashboard.enabled)
              waiting.page ??= serveNotReady(config.dashboard, logger.child("dashboard"));
            waitForDatabase.onWaiting?.(reason);
          },
        },
        logger,
      );
      if (!ready)
        throw new KioskError(
          ErrorCodes.CENTRAL_DB_UNAVAILABLE,
          "Central stopped while waiting for its database.",
        );
    }
  } catch (error) {
    await withTimeLimit(db.close(), DB_CLOSE_MS).catch(() => {});
    throw error;
  } finally {
    await (await waiting.page)?.close();
  }
  // Before any worker starts: a metrics token file that cannot be used stops central here.
  let metrics: CentralMetrics;
  try {
    metrics = new CentralMetrics(config.metrics, logger.child("metrics"));
  } catch (error) {
    await withTimeLimit(db.close(), DB_CLOSE_MS).catch(() => {});
    throw error;
  }
  // aedes has no shared subscriptions: with the embedded broker, one worker subscribes plainly.
  const shareGroup = config.broker.mode === "embedded" ? null : config.ingest.shareGroup;
  const count = shareGroup === null ? 1 : config.ingest.workers;
  if (shareGroup === null && config.ingest.workers > 1) {
    logger.warn("the embedded broker cannot share a subscription: running one ingest worker");
  }
  const commandKey = new CommandKeyHolder(config.dashboard.commandKeyFile);
  // One signer for every worker, so a missing key is said once, not once per worker.
  const catalog = new CatalogSigner({
    db,
    key: () => commandKey.get(),
    ttlSeconds: config.ingest.catalogPageTtlSeconds,
    clock,
    logger: logger.child("catalog"),
  });
  const workers = Array.from(
    { length: count },
    (_, index) =>
      new IngestWorker({
        db,
        endpoint,
        shareGroup,
        config: config.ingest,
        catalog,
        logger: logger.child(`ingest-${index + 1}`),
        clock,
        observer: metrics.ingest,
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
        settingsCheck,
        logger: logger.child("dashboard"),
        clock,
        metrics,
        alertCheck: config.alerts.enabled
          ? { enabled: true, intervalSeconds: config.alerts.intervalSeconds }
          : { enabled: false },
        ingest: config.ingest,
      });
    } catch (error) {
      const code = (error as { code?: unknown }).code ?? "INTERNAL";
      logger.error(`the fleet dashboard did not start: ${(error as Error).message}`, { code: String(code) });
    }
  }
  const balances = new BalancePusher({
    db,
    endpoint,
    shareGroup: config.broker.mode === "embedded" ? null : "balances",
    backoff: config.ingest.reconnect,
    key: () => commandKey.get(),
    pollIntervalMs: config.balances.pollIntervalMs,
    ttlSeconds: config.balances.ttlSeconds,
    logger: logger.child("balances"),
    clock,
    newId,
  });
  balances.start();
  const integrationApi = await startIntegrationSide(config, endpoint, logger, db, clock);
  const stripe = await startStripeSide(config, endpoint, logger, db);
  const authorizeNet = await startAuthorizeNetSide(config, connectAuthorizeNet, endpoint, logger, db);
  const receipts = startReceiptMail(config, endpoint, logger);
  const alerts = startAlerts({ config, db, dashboardUrl: dashboard?.url ?? null, logger, clock });
  return {
    db,
    workers,
    balances,
    integrationApi,
    dashboard,
    stripeWebhooks: stripe?.webhooks ?? null,
    alerts,
    // The dashboard and the workers stop side by side, each within its own few seconds, and the
    // database is given a moment to close: central stops in time whatever the database is doing.
    stop: async () => {
      await Promise.all([
        dashboard
          ?.stop()
          .catch((error: unknown) =>
            logger.warn(`stopping the dashboard failed: ${(error as Error).message}`),
          ),
        ...workers.map((worker) => worker.stop()),
        balances.stop(),
        integrationApi?.close(),
        stripe?.stop(),
        authorizeNet?.stop(),
        receipts.stop(),
        alerts?.stop(),
      ]);
      await withTimeLimit(db.close(), DB_CLOSE_MS, "closing the database").catch((error: unknown) =>
        logger.warn(`central's database did not close cleanly: ${(error as Error).message}`),
      );
      logger.info("central stopped");
    },
  };
}

/**
 * The integration API, when enabled; one that cannot start is logged and leaves the rest running.
 * Posted invoices nudge the kiosks central knows, as an import does.
 */
async function startIntegrationSide(
  config: CentralConfig,
  endpoint: ReturnType<typeof centralEndpoint>,
  logger: Logger,
  db: CentralDb,
  clock: Clock,
): Promise<RunningIntegrationApi | null> {
  if (!config.integrationApi.enabled) return null;
  try {
    return await startIntegrationApi({
      db,
      config: config.integrationApi,
      nudge: async (cursor) => {
        await nudgeKiosks({ endpoint, deviceIds: await knownDevices(db), cursor, logger, clock });
      },
      logger: logger.child("integration-api"),
      clock,
    });
  } catch (error) {
    const code = (error as { code?: unknown }).code ?? "INTERNAL";
    logger.error(`the integration API did not start: ${(error as Error).message}`, { code: String(code) });
    return null;
  }
}

/**
 * Stripe's webhook endpoint with its own broker connection for the notices it passes on; loaded only
 * when configured. One that cannot start is logged: the kiosks' polling still finds their payments.
 */
async function startStripeSide(
  config: CentralConfig,
  endpoint: ReturnType<typeof centralEndpoint>,
  logger: Logger,
  db: CentralDb,
): Promise<{ webhooks: RunningStripeWebhooks; stop(): Promise<void> } | null> {
  const stripe = config.stripe;
  if (!stripe) return null;
  try {
    const [{ startStripeWebhooks }, { Downlink }] = await Promise.all([
      import("./stripe/stripe-webhooks.js"),
      import("./dashboard/control/downlink.js"),
    ]);
    const secret = readOwnerOnlySecret(
      stripe.webhookSecretFile,
      /^whsec_[A-Za-z0-9_+/=-]{8,200}$/,
      "one Stripe webhook signing secret (whsec_…)",
    );
    const downlink = new Downlink({
      endpoint,
      clientId: `central-stripe-${process.pid}-${Date.now().toString(36)}`,
      backoff: config.ingest.reconnect,
      logger: logger.child("stripe-downlink"),
    });
    downlink.start();
    const webhooks = await startStripeWebhooks({
      config: stripe,
      secret,
      publish: (message) => downlink.publish(message),
      logger: logger.child("stripe-webhooks"),
    }).catch(async (error: unknown) => {
      await downlink.stop();
      throw error;
    });
    const operations = stripe.apiKeyFile
      ? await startCardOperations(config, stripe, endpoint, logger, db)
      : null;
    const collections =
      stripe.apiKeyFile && stripe.collections.enabled ? await startCollections(stripe, logger, db) : null;
    return {
      webhooks,
      stop: async () => {
        await webhooks.close();
        await collections?.stop();
        await operations?.stop();
        await downlink.stop();
      },
    };
  } catch (error) {
    const code = (error as { code?: unknown }).code ?? "INTERNAL";
    logger.error(`Stripe's webhook endpoint did not start: ${(error as Error).message}`, {
      code: String(code),
    });
    return null;
  }
}

/** Refunds kiosks ask for, made with the studio's full Stripe key (read from its owner-only file). */
async function startCardOperations(
  config: CentralConfig,
  stripe: NonNullable<CentralConfig["stripe"]>,
  endpoint: ReturnType<typeof centralEndpoint>,
  logger: Logger,
  db: CentralDb,
): Promise<{ stop(): Promise<void> }> {
  const [{ default: Stripe }, { stripeOperations }, { CardOperationsWorker }, { newId }] = await Promise.all([
    import("stripe"),
    import("./card-operations/stripe-operations.js"),
    import("./card-operations/card-operations-worker.js"),
    import("../core/ids.js"),
  ]);
  const key = readOwnerOnlySecret(
    stripe.apiKeyFile as string,
    /^(sk|rk)_(test|live)_[A-Za-z0-9_-]{8,247}$/,
    "the studio's Stripe secret key (sk_…)",
  );
  const worker = new CardOperationsWorker({
    db,
    processor: stripeOperations(
      new Stripe(key, {
        maxNetworkRetries: 1,
        httpClient: Stripe.createNodeHttpClient(),
        timeout: 15_000,
        ...(stripe.endpoint ?? {}),
      }),
    ),
    endpoint,
    shareGroup: config.broker.mode === "embedded" ? null : "card-operations",
    backoff: config.ingest.reconnect,
    logger: logger.child("card-operations"),
    newId,
    now: () => new Date(),
  });
  worker.start();
  return { stop: () => worker.stop() };
}

/**
 * Due future payments charged off-session with the studio's full Stripe key, every
 * `collections.intervalMinutes` (a kiosk may be off at night; it applies the outcome when it runs).
 */
async function startCollections(
  stripe: NonNullable<CentralConfig["stripe"]>,
  logger: Logger,
  db: CentralDb,
): Promise<{ stop(): Promise<void> }> {
  const [{ default: Stripe }, { collectDueOffSession }, { stripeOffSession }, { studioToday }] =
    await Promise.all([
      import("stripe"),
      import("./collections/off-session-collector.js"),
      import("./collections/stripe-off-session.js"),
      import("../payments/studio-date.js"),
    ]);
  const key = readOwnerOnlySecret(
    stripe.apiKeyFile as string,
    /^(sk|rk)_(test|live)_[A-Za-z0-9_-]{8,247}$/,
    "the studio's Stripe secret key (sk_…)",
  );
  const client = new Stripe(key, {
    maxNetworkRetries: 1,
    httpClient: Stripe.createNodeHttpClient(),
    timeout: 15_000,
    ...(stripe.endpoint ?? {}),
  });
  const { collections } = stripe;
  const log = logger.child("collections");
  let running: Promise<unknown> = Promise.resolve();
  const round = (): void => {
    running = running
      .then(() =>
        collectDueOffSession({
          db,
          charger: stripeOffSession(client),
          schedule: collections,
          logger: log,
          now: () => new Date(),
          today: () => studioToday(new Date(), collections.timeZone),
        }),
      )
      .catch((error: unknown) => log.warn(`the collection round failed: ${(error as Error).message}`));
  };
  round();
  const timer = setInterval(round, collections.intervalMinutes * 60_000);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
