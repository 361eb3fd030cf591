import type { KioskConfig } from "../config/schema.js";
import type { Logger } from "../core/logger.js";
import type { JsonValue, KioskControl } from "../remote/kiosk-control.js";
import type { RunningKiosk } from "./kiosk.js";
import { redactSecrets } from "./redact-config.js";
import { SOFTWARE_VERSION } from "./version.js";

/** The running kiosk as remote commands see it. */
export function kioskControl(
  kiosk: RunningKiosk,
  config: KioskConfig,
  logger: Logger,
  requestRestart: () => void,
): KioskControl {
  const store = kiosk.state.kind === "in-service" ? kiosk.state.store : null;
  return {
    lock: (reason, by) => {
      store?.lock.lock(reason, by);
    },
    unlock: (by) => {
      store?.lock.unlock(by);
    },
    restart: async () => requestRestart(),
    syncNow: () => kiosk.sync?.syncNow() ?? false,
    reloadInvoices: () => kiosk.sync?.reloadInvoices() ?? false,
    setLogLevel: (level) => logger.setLevel(level),
    diagnostics: async () =>
      JSON.parse(
        JSON.stringify({
          softwareVersion: SOFTWARE_VERSION,
          node: process.version,
          uptimeSeconds: Math.round(process.uptime()),
          memoryRssBytes: process.memoryUsage().rss,
          state:
            kiosk.state.kind === "in-service" ? "in-service" : `out-of-service: ${kiosk.state.reason.code}`,
          lock: store?.lock.state ?? null,
          outbox: store?.outbox.depth() ?? null,
          syncConnected: kiosk.sync?.connected ?? false,
          drivers: kiosk.drivers.health(),
          lastErrors: logger.recentProblems(),
          config: redactSecrets(config),
        }),
      ) as Record<string, JsonValue>,
  };
}
