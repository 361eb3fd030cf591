import { resolve } from "node:path";
import type { RunningCentral } from "../central/central.js";
import type { CardService } from "../checkout/cards/card-service.js";
import type { Checkout } from "../checkout/checkout.js";
import type { Ledger } from "../checkout/ledger.js";
import { managedSettingsCheck } from "../config/managed-settings.js";
import type { KioskConfig } from "../config/schema.js";
import type { Clock } from "../core/clock.js";
import { type ErrorCode, ErrorCodes } from "../core/error-codes.js";
import { newId } from "../core/ids.js";
import { isKioskError, type KioskError } from "../core/kiosk-error.js";
import type { Logger } from "../core/logger.js";
import { createDrivers, type Drivers } from "../drivers/drivers.js";
import { databasePath, type KioskStore, openKioskStore } from "../store/kiosk-store.js";
import { CardOperationsClient } from "../sync/agent/card-operations-client.js";
import { SyncAgent } from "../sync/agent/sync-agent.js";
import type { EmbeddedBroker } from "../sync/broker/embedded-broker.js";
import { kioskEndpoint } from "../sync/mqtt/endpoint.js";
import type { RunningUi } from "../ui/server/start-ui.js";
import { catalogPageCheckFor } from "./catalog-page-check.js";
import { connectCentralAuthorizeNet } from "./central-authorize-net.js";
import { driverHealthSource } from "./driver-health.js";
import { startTouchscreen } from "./screen/touchscreen.js";
import { startCheckout } from "./start-checkout.js";
import { SOFTWARE_VERSION } from "./version.js";

/** How long a refund asked of central may take before the kiosk looks it up instead. */
const CENTRAL_ANSWER_MS = 20_000;

/** "in-service" takes payments; "out-of-service" shows why and takes none. */
export type KioskState =
  | { kind: "in-service"; store: KioskStore; checkout: Checkout; ledger: Ledger; cards: CardService }
  | { kind: "out-of-service"; reason: KioskError };

export interface RunningKiosk {
  readonly state: KioskState;
  readonly drivers: Drivers;
  /** The sync agent, when this process runs it (sync.enabled). */
  readonly sync: SyncAgent | null;
  /** Central, when this process runs it too (central.enabled: the laptop setup). */
  readonly central: RunningCentral | null;
  /** The in-process broker, when sync.broker.mode is "embedded". */
  readonly broker: EmbeddedBroker | null;
  /** The touchscreen's server, when it started. */
  readonly ui: RunningUi | null;
  stop(): Promise<void>;
}

export interface KioskDeps {
  readonly config: KioskConfig;
  readonly logger: Logger;
  readonly clock: Clock;
}

/**
 * The composition root: opens the store and wires the parts. A store that cannot be trusted
 * (damaged, too new, unreadable) puts the kiosk out of service with the reason, instead of
 * crashing into a restart loop or taking payments it might lose. Sync and central failing to start
 * are logged and leave the kiosk taking payments: records wait in the outbox. A port this process
 * was configured to listen on that is already taken (the screen's, the embedded broker's: most often
 * another kiosk started from the same configuration) ends start-up: what started stops in order,
 * and the coded error is thrown for the command line to print as one line.
 */
export async function startKiosk({ config, logger, clock }: KioskDeps): Promise<RunningKiosk> {
  const state = await openState(config, logger, clock);
  let portTaken: KioskError | null = null;
  // Once a port is found taken nothing more starts: the kiosk is about to stop.
  const startOptional = async <T>(what: string, start: () => Promise<T | null>): Promise<T | null> =>
    portTaken
      ? null
      : startPart(logger, what, start, (error) => {
          portTaken = error;
        });

  // Devices start after the store (a swipe has somewhere to go) and stop before it.
  const cardMethod = config.paymentMethods.find(
    (method) => method.type === "card" && method.cardPrefixes.length > 0,
  );
  const drivers = createDrivers(config.drivers, {
    logger: logger.child("drivers"),
    clock,
    ...(cardMethod ? { cardPrefixes: cardMethod.cardPrefixes } : {}),
  });
  await drivers.start();
  for (const health of drivers.health()) logger.info(`${health.device}: ${health.state}`, { health });
  if (state.kind === "out-of-service") drivers.gpio.showStatus("fault");

  // Central and the embedded broker are loaded only when configured: a kiosk on its own keeps
  // their modules (PostgreSQL, PGlite, aedes, the dashboard) out of its memory.
  const broker = await startOptional("the embedded MQTT broker", async () =>
    config.sync.broker.mode === "embedded" && (config.sync.enabled || config.central.enabled)
      ? (await import("../sync/broker/embedded-broker.js")).startEmbeddedBroker({
          host: config.sync.broker.host,
          port: config.sync.broker.port,
          logger: logger.child("broker"),
        })
      : Promise.resolve(null),
  );
  // The port actually bound (port 0 in the configuration lets the system pick one).
  const kioskBroker =
    broker && config.sync.broker.mode === "embedded"
      ? { ...config.sync.broker, port: broker.port }
      : config.sync.broker;
  const central = await startOptional("central", async () =>
    config.central.enabled
      ? (await import("../central/central.js")).startCentral({
          config: config.central,
          kioskBroker,
          logger: logger.child("central"),
          clock,
          settingsCheck: managedSettingsCheck,
          connectAuthorizeNet: connectCentralAuthorizeNet,
        })
      : Promise.resolve(null),
  );
  const sync = await startOptional("the sync agent", async () => {
    if (!config.sync.enabled || state.kind !== "in-service") return null;
    const agent = new SyncAgent({
      store: state.store,
      deviceId: config.deviceId,
      config: config.sync,
      endpoint: kioskEndpoint(kioskBroker),
      logger: logger.child("sync"),
      clock,
      softwareVersion: SOFTWARE_VERSION,
      dataDir: config.dataDir,
      checkCatalogPage: catalogPageCheckFor(config, clock, logger),
      drivers: driverHealthSource(drivers, state.cards.smartReader),
    });
    // The tamper switch is reported at once, not at the next telemetry: central alerts on it.
    drivers.gpio.on("tamper", () => agent.reportTelemetryNow());
    // Stripe's word (through central) that a payment page was paid: the screen's wait looks now.
    agent.on("paymentNotice", (notice) => state.checkout.paymentNotice(notice.sessionId));
    // Refunds the kiosk's processor key may not make are asked of central through the agent.
    state.cards.central.attach(new CardOperationsClient(agent, { timeoutMs: CENTRAL_ANSWER_MS, newId }));
    agent.start();
    return agent;
  });

  // The screen starts last, once there is a store, devices and sync to show; it stops first.
  const ui = await startOptional("the touchscreen", () =>
    config.ui.enabled
      ? startTouchscreen({
          config,
          service: state.kind === "in-service" ? state : { reason: state.reason },
          drivers,
          sync,
          clock,
          logger: logger.child("ui"),
        })
      : Promise.resolve(null),
  );

  let stopped = false;
  const running: RunningKiosk = {
    state,
    drivers,
    sync,
    central,
    broker,
    ui,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      // A fixed order, each step isolated: one failing never keeps the next from running.
      // The screen goes first (no new touch starts anything); card work finishes next; the agent
      // says goodbye while the broker is still there.
      await stopQuietly(logger, "the touchscreen", () => ui?.stop());
      if (state.kind === "in-service")
        await stopQuietly(logger, "the card service", () => state.cards.stop());
      await stopQuietly(logger, "the sync agent", () => sync?.stop());
      await stopQuietly(logger, "central", () => central?.stop());
      await stopQuietly(logger, "the embedded broker", () => broker?.close());
      await stopQuietly(logger, "the drivers", () => drivers.stop());
      if (state.kind === "in-service")
        await stopQuietly(logger, "the store", async () => state.store.close());
      logger.info("kiosk stopped");
    },
  };
  if (portTaken) {
    await running.stop();
    throw portTaken;
  }
  return running;
}

async function openState(config: KioskConfig, logger: Logger, clock: Clock): Promise<KioskState> {
  const path = resolve(databasePath(config.dataDir));
  try {
    const store = openKioskStore({ path, deviceId: config.deviceId, clock, logger: logger.child("store") });
    const { checkout, ledger, cards } = await startCheckout({ config, store, clock, logger });
    const { depth } = store.outbox.depth();
    logger.info(`kiosk ${config.deviceId} in service`, { database: path, unsynced: depth });
    return { kind: "in-service", store, checkout, ledger, cards };
  } catch (error) {
    if (!isKioskError(error)) throw error;
    logger.error(`kiosk ${config.deviceId} OUT OF SERVICE: ${error.message}`, {
      code: error.code,
      database: path,
    });
    return { kind: "out-of-service", reason: error };
  }
}

/** Listening failures that end start-up rather than leave the kiosk running without the part. */
const PORT_TAKEN: ReadonlySet<ErrorCode> = new Set([
  ErrorCodes.UI_PORT_UNAVAILABLE,
  ErrorCodes.SYNC_BROKER_START_FAILED,
]);

async function startPart<T>(
  logger: Logger,
  what: string,
  start: () => Promise<T | null>,
  onPortTaken: (error: KioskError) => void,
): Promise<T | null> {
  try {
    return await start();
  } catch (error) {
    if (isKioskError(error) && PORT_TAKEN.has(error.code)) {
      onPortTaken(error);
      return null;
    }
    const code = isKioskError(error) ? error.code : "INTERNAL";
    logger.error(`${what} did not start: ${(error as Error).message}`, { code });
    return null;
  }
}

async function stopQuietly(
  logger: Logger,
  what: string,
  stop: () => Promise<void> | undefined,
): Promise<void> {
  try {
    await stop();
  } catch (error) {
    logger.warn(`stopping ${what} failed: ${(error as Error).message}`);
  }
}
