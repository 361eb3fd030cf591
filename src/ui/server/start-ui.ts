import type { LockState } from "../../checkout/checkout-types.js";
import type { Clock } from "../../core/clock.js";
import type { Logger } from "../../core/logger.js";
import type { LineReader } from "../../drivers/card-reader/line-reader.js";
import type { SimulatedLine } from "../../drivers/serial/simulated-line.js";
import type { StatusBar } from "../protocol.js";
import { connectLineDevices } from "./card-source.js";
import type { HostedFormRelay } from "./hosted-form-relay.js";
import type { Mode } from "./mode.js";
import { UiSession } from "./session.js";
import { type RunningUiServer, startUiServer } from "./ui-server.js";

/** How often the idle countdown and the status bar are looked at. */
const TICK_MS = 500;

/** Where the screen is served, and how the counter behaves. */
export interface ScreenSettings {
  readonly host: string;
  readonly port: number;
  readonly idleTimeoutSeconds: number;
  readonly locales: readonly string[];
  /** The studio's IANA time zone (studio.timeZone). */
  readonly timeZone: string;
}

/** The kiosk's lock as the screen follows it. */
export interface LockSource {
  state(): LockState;
  /** Calls `listener` on every change; returns the undo. */
  onChanged(listener: () => void): () => void;
}

/** The staff mode, which polls and listens while it runs: stopped with the screen. */
export type StoppableMode = Mode & { stop(): void };

/** What the composition root hands the screen: its modes, the facts it shows, and the devices it reads. */
export interface UiDeps {
  readonly settings: ScreenSettings;
  readonly modes: { readonly "self-service": Mode; readonly staff: StoppableMode | null };
  readonly lock: LockSource;
  readonly status: () => StatusBar;
  /** The card reader and scanner, when present: their reads and scans go to the session. */
  readonly lineDevices: readonly (LineReader | null)[];
  /** In simulated mode, the simulated reader's and scanner's device ends, for the DEV button. */
  readonly devPanel: {
    readonly cardReader: SimulatedLine | null;
    readonly scanner: SimulatedLine | null;
  } | null;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The staff screen's relay to hosted forms that take their token by POST. */
  readonly hostedForms?: HostedFormRelay;
  /** More facts for GET /health (see UiServerOptions.health). */
  readonly health?: () => Readonly<Record<string, string | number | boolean | null>>;
}

export interface RunningUi {
  readonly url: string;
  readonly session: UiSession;
  stop(): Promise<void>;
}

/** Starts the touchscreen: the session (self-service first), its devices, its timer and its server. */
export async function startUi(deps: UiDeps): Promise<RunningUi> {
  const { settings, modes, clock, logger } = deps;
  const selfService = modes["self-service"];
  const session = new UiSession({
    modes: { "self-service": selfService, ...(modes.staff ? { staff: modes.staff } : {}) },
    idleTimeoutSeconds: settings.idleTimeoutSeconds,
    locales: settings.locales,
    timeZone: settings.timeZone,
    devPanel: deps.devPanel !== null,
    lock: () => deps.lock.state(),
    status: deps.status,
    clock,
    logger,
  });
  const stopLockEvents = deps.lock.onChanged(() => session.lockChanged());
  const disconnect = connectLineDevices(deps.lineDevices, session, logger);
  const timer = setInterval(() => {
    session.tick();
    session.refresh();
  }, TICK_MS);
  timer.unref();

  let server: RunningUiServer;
  try {
    server = await startUiServer({
      host: settings.host,
      port: settings.port,
      session,
      devPanel: deps.devPanel ? { ...deps.devPanel, session } : null,
      logger,
      ...(deps.hostedForms ? { hostedForms: deps.hostedForms } : {}),
      ...(deps.health ? { health: deps.health } : {}),
    });
  } catch (error) {
    clearInterval(timer);
    disconnect();
    stopLockEvents();
    modes.staff?.stop();
    throw error;
  }
  logger.info(`touchscreen at ${server.url}`, { url: server.url, devPanel: deps.devPanel !== null });
  return {
    url: server.url,
    session,
    stop: async () => {
      clearInterval(timer);
      disconnect();
      stopLockEvents();
      session.switchTo("self-service");
      selfService.reset();
      modes.staff?.stop();
      await server.close();
    },
  };
}
