import { resolve } from "node:path";
import { type CardService, startCardService } from "../card-payments/card-service.js";
import type { KioskConfig } from "../config/schema.js";
import type { Clock } from "../core/clock.js";
import { isKioskError, type KioskError } from "../core/kiosk-error.js";
import type { Logger } from "../core/logger.js";
import { createDrivers, type Drivers } from "../drivers/drivers.js";
import { databasePath, type KioskStore, openKioskStore } from "../store/kiosk-store.js";
import { ledgerSettings } from "./ledger-settings.js";

/** How often the card service probes the processor, forwards offline payments and collects due ones. */
const CARD_ROUND_MS = 30_000;

/** "in-service" takes payments; "out-of-service" shows why and takes none. */
export type KioskState =
  | { kind: "in-service"; store: KioskStore; cards: CardService }
  | { kind: "out-of-service"; reason: KioskError };

export interface RunningKiosk {
  readonly state: KioskState;
  readonly drivers: Drivers;
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
 * crashing into a restart loop or taking payments it might lose.
 */
export async function startKiosk({ config, logger, clock }: KioskDeps): Promise<RunningKiosk> {
  const path = resolve(databasePath(config.dataDir));
  let state: KioskState;
  try {
    const store = openKioskStore({
      path,
      settings: ledgerSettings(config),
      clock,
      logger: logger.child("store"),
    });
    const cards = await startCardService({
      config: config.processor,
      store,
      clock,
      timeZone: config.studio.timeZone,
      logger: logger.child("cards"),
      intervalMs: CARD_ROUND_MS,
    });
    state = { kind: "in-service", store, cards };
    const { depth } = store.outbox.depth();
    logger.info(`kiosk ${config.deviceId} in service`, { database: path, unsynced: depth });
  } catch (error) {
    if (!isKioskError(error)) throw error;
    state = { kind: "out-of-service", reason: error };
    logger.error(`kiosk ${config.deviceId} OUT OF SERVICE: ${error.message}`, {
      code: error.code,
      database: path,
    });
  }
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
  return {
    state,
    drivers,
    stop: async () => {
      // A fixed order, each step isolated: one failing never keeps the next from running.
      const step = async (name: string, work: () => unknown): Promise<void> => {
        try {
          await work();
        } catch (error) {
          logger.error(`${name} did not stop cleanly: ${(error as Error).message}`);
        }
      };
      if (state.kind === "in-service") await step("card service", () => state.cards.stop());
      await step("drivers", () => drivers.stop());
      if (state.kind === "in-service") await step("store", () => state.store.close());
      logger.info("kiosk stopped");
    },
  };
}
