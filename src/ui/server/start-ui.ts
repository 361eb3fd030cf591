import type { CardService } from "../../checkout/cards/card-service.js";
import type { Ledger } from "../../checkout/ledger.js";
import type { KioskConfig } from "../../config/schema.js";
import type { Clock } from "../../core/clock.js";
import type { KioskError } from "../../core/kiosk-error.js";
import type { Logger } from "../../core/logger.js";
import type { Drivers } from "../../drivers/drivers.js";
import type { KioskStore } from "../../store/kiosk-store.js";
import { connectLineDevices } from "./card-source.js";
import type { Mode } from "./mode.js";
import { receiptSender } from "./self-service/print-receipt.js";
import { SelfServiceMode } from "./self-service/self-service-mode.js";
import { selfServiceSettings } from "./self-service/settings.js";
import { UiSession } from "./session.js";
import { createStaffMode } from "./staff/create-staff-mode.js";
import { statusBar } from "./status-source.js";
import { type RunningUiServer, startUiServer } from "./ui-server.js";

/** How often the idle countdown and the status bar are looked at. */
const TICK_MS = 500;

export interface UiDeps {
  readonly config: KioskConfig;
  /** The store and card service when in service; the reason when the store cannot be trusted. */
  readonly service:
    | { readonly store: KioskStore & { readonly ledger: Ledger }; readonly cards: CardService }
    | { readonly reason: KioskError };
  readonly drivers: Drivers;
  readonly sync: { readonly connected: boolean } | null;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The staff mode, when built (the staff flow hooks in here). */
  readonly staffMode?: Mode;
}

export interface RunningUi {
  readonly url: string;
  readonly session: UiSession;
  stop(): Promise<void>;
}

/** A store that cannot be opened keeps the kiosk out of service; the screen says so. */
function brokenStoreLock(reason: KioskError) {
  return () => ({ locked: true, reason: reason.code, by: "kiosk", at: new Date(0).toISOString() }) as const;
}

/** Starts the touchscreen: the session (self-service first), its devices, its timer and its server. */
export async function startUi(deps: UiDeps): Promise<RunningUi> {
  const { config, service, drivers, clock, logger } = deps;
  const store = "store" in service ? service.store : null;
  const selfService =
    "store" in service
      ? new SelfServiceMode({
          settings: selfServiceSettings(config, drivers.printer !== null),
          store: service.store,
          charger: service.cards.charger,
          printReceipt: receiptSender(drivers.printer, {
            studioName: config.studio.name,
            timeZone: config.studio.timeZone,
            locale: config.studio.locales[0] ?? "en-US",
            methodName: "Card",
            now: () => clock.now(),
          }),
          logger: logger.child("self-service"),
        })
      : null;
  const staffMode =
    "store" in service
      ? createStaffMode({
          config,
          store: service.store,
          cards: service.cards,
          drivers,
          clock,
          logger: logger.child("staff"),
        })
      : null;
  const staff = deps.staffMode ?? staffMode;
  const devPanel = drivers.simulated.cardReader !== null;
  const session = new UiSession({
    modes: {
      "self-service": selfService ?? outOfServiceMode(),
      ...(staff ? { staff } : {}),
    },
    idleTimeoutSeconds: config.ui.idleTimeoutSeconds,
    locales: config.studio.locales,
    devPanel,
    lock: "store" in service ? () => service.store.lock.state : brokenStoreLock(service.reason),
    status: () => statusBar({ store, drivers, sync: deps.sync }),
    clock,
    logger,
  });
  const running = session;
  const onLock = (): void => running.lockChanged();
  store?.lock.on("changed", onLock);
  const disconnect = connectLineDevices([drivers.cardReader, drivers.scanner], running, logger);
  const timer = setInterval(() => {
    running.tick();
    running.refresh();
  }, TICK_MS);
  timer.unref();

  let server: RunningUiServer;
  try {
    server = await startUiServer({
      host: config.ui.host,
      port: config.ui.port,
      session: running,
      devPanel: devPanel
        ? { cardReader: drivers.simulated.cardReader, scanner: drivers.simulated.scanner, session: running }
        : null,
      logger,
    });
  } catch (error) {
    clearInterval(timer);
    disconnect();
    store?.lock.off("changed", onLock);
    staffMode?.stop();
    throw error;
  }
  logger.info(`touchscreen at ${server.url}`, { url: server.url, devPanel });
  return {
    url: server.url,
    session: running,
    stop: async () => {
      clearInterval(timer);
      disconnect();
      store?.lock.off("changed", onLock);
      running.switchTo("self-service");
      selfService?.reset();
      staffMode?.stop();
      await server.close();
    },
  };
}

/** With no store there is nothing to pay against: a mode that only ever sits behind the lock. */
function outOfServiceMode(): Mode {
  return {
    name: "self-service",
    attach: () => {},
    screen: () => ({ name: "self.attract", studioName: "" }),
    touch: () => false,
    reset: () => {},
    idleExempt: () => true,
    busy: () => false,
    waitsForSwipe: () => false,
    cardRead: (read) => read.secrets.wipe(),
    cardUnreadable: () => {},
    invoiceScanned: () => {},
    scanRejected: () => {},
    showsWhileLocked: () => false,
  };
}
