import { join } from "node:path";
import type { KioskConfig } from "../config/schema.js";
import type { Logger } from "../core/logger.js";
import type { JsonValue, KioskControl } from "../remote/kiosk-control.js";
import type { RunningKiosk } from "./kiosk.js";
import { redactSecrets } from "./redact-config.js";
import { downloadRelease } from "./release/download-release.js";
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
    update: async (order, commandId) => {
      const { file, request } = await downloadRelease(order, commandId, {
        updatesDir: join(config.dataDir, "updates"),
        releaseKeyFile: config.remote.releaseKeyFile,
      });
      logger.info(`release ${order.version} fetched and checked (${file}): handed to the update unit`, {
        commandId,
      });
      return { state: "downloaded", version: request.version, from: SOFTWARE_VERSION };
    },
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
