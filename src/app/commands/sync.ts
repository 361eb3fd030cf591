import { resolve } from "node:path";
import type { Command } from "commander";
import { loadConfig } from "../../config/load.js";
import { systemClock } from "../../core/clock.js";
import { databasePath, openKioskStore } from "../../store/kiosk-store.js";
import { SyncAgent } from "../../sync/agent/sync-agent.js";
import { kioskEndpoint } from "../../sync/mqtt/endpoint.js";
import { catalogPageCheckFor } from "../catalog-page-check.js";
import type { Output } from "../output.js";
import { untilStopSignal } from "../stop-signal.js";
import { SOFTWARE_VERSION } from "../version.js";
import { loggerFor } from "./logger-for.js";

/**
 * `sync`: the sync agent alone, on the kiosk's database (the kiosk process may run at the same
 * time with sync.enabled false). Stops on SIGINT or SIGTERM, saying `offline` first.
 */
export async function syncCommand(file: string | undefined, env: NodeJS.ProcessEnv): Promise<number> {
  const { config } = loadConfig({ file, env });
  const logger = loggerFor(config);
  const store = openKioskStore({
    path: resolve(databasePath(config.dataDir)),
    deviceId: config.deviceId,
    clock: systemClock,
    logger: logger.child("store"),
  });
  const agent = new SyncAgent({
    store,
    deviceId: config.deviceId,
    config: config.sync,
    endpoint: kioskEndpoint(config.sync.broker),
    logger: logger.child("sync"),
    clock: systemClock,
    softwareVersion: SOFTWARE_VERSION,
    dataDir: config.dataDir,
    checkCatalogPage: catalogPageCheckFor(config, systemClock, logger),
  });
  agent.start();
  await untilStopSignal();
  await agent.stop();
  store.close();
  return 0;
}

export function registerSyncCommands(
  program: Command,
  _output: Output,
  env: NodeJS.ProcessEnv,
  setExitCode: (code: number) => void,
): void {
  program
    .command("sync")
    .description("run the sync agent alone on the kiosk's database until stopped")
    .option(
      "-c, --config <file>",
      "configuration file (default: $SPECTRA_KIOSK_CONFIG or config/default.json)",
    )
    .action(async (options: { config?: string }) => setExitCode(await syncCommand(options.config, env)));
}
