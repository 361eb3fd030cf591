import type { Command } from "commander";
import type { CatalogFormat } from "../../central/import/catalog-file.js";
import type { ImportProgress } from "../../central/import/import-catalog.js";
import { loadConfig } from "../../config/load.js";
import { managedSettingsCheck } from "../../config/managed-settings.js";
import { systemClock } from "../../core/clock.js";
import { centralEndpoint } from "../../sync/mqtt/endpoint.js";
import { connectCentralAuthorizeNet } from "../central-authorize-net.js";
import type { Output } from "../output.js";
import { untilStopSignal } from "../stop-signal.js";
import { systemdNotifier } from "../systemd/sd-notify.js";
import { registerCentralAdminCommands } from "./central-admin.js";
import { loggerFor } from "./logger-for.js";

const configOption = [
  "-c, --config <file>",
  "configuration file (default: $SPECTRA_KIOSK_CONFIG or config/default.json)",
] as const;

/** After SIGTERM, central is gone within this long, whatever it was doing (systemd waits 30 s). */
const STOP_DEADLINE_MS = 9500;

/**
 * `central`: the database, the ingest workers and the dashboard, until SIGINT or SIGTERM. Under
 * systemd (Type=notify) it says READY once serving, beats the watchdog, and says STOPPING. While
 * its database is unreachable it waits (STATUS says why, no READY yet) rather than exiting into
 * systemd's start limit; a stop signal ends the wait.
 */
export async function centralCommand(file: string | undefined, env: NodeJS.ProcessEnv): Promise<number> {
  const { config } = loadConfig({ file, env });
  const logger = loggerFor(config);
  const systemd = systemdNotifier(env, logger.child("systemd"));
  const stop = new AbortController();
  const startFailed = new AbortController();
  const stopSignal = untilStopSignal(startFailed.signal).then(() => {
    stop.abort();
    systemd.stopping();
    // The last resort: each step of stopping has its own time limit, and this bounds them all.
    setTimeout(() => {
      logger.error(`central did not stop within ${STOP_DEADLINE_MS} ms: exiting anyway`);
      process.exit(1);
    }, STOP_DEADLINE_MS).unref();
  });
  // Central's modules load only for central's commands: `start` on a kiosk never pays for them.
  const { startCentral } = await import("../../central/central.js");
  let central: Awaited<ReturnType<typeof startCentral>>;
  try {
    central = await startCentral({
      config: config.central,
      kioskBroker: config.sync.broker,
      logger: logger.child("central"),
      clock: systemClock,
      settingsCheck: managedSettingsCheck,
      connectAuthorizeNet: connectCentralAuthorizeNet,
      waitForDatabase: { signal: stop.signal, onWaiting: (reason) => systemd.status(reason) },
    });
  } catch (error) {
    systemd.close();
    if (stop.signal.aborted) return 0;
    startFailed.abort();
    throw error;
  }
  systemd.ready("central serving");
  systemd.startWatchdog();
  await stopSignal;
  await central.stop();
  systemd.close();
  // Stopped: a connection to a hung database may still hold the event loop; it must not hold central.
  setTimeout(() => process.exit(process.exitCode ?? 0), 500).unref();
  return 0;
}

/** Loaded only by `central import`: the kiosk process never carries the progress bar's code. */
async function progressBar(): Promise<ImportProgress> {
  const { SingleBar } = await import("cli-progress");
  const bar = new SingleBar({
    format: "importing [{bar}] {percentage}% | {value}/{total} clients and invoices",
    stream: process.stderr,
    hideCursor: true,
  });
  return {
    start: (total) => bar.start(total, 0),
    advance: (done) => bar.update(done),
    finish: () => bar.stop(),
  };
}

/** `central import FILE`: checks the whole file, writes it, then tells the kiosks to pull. */
export async function importCommand(
  path: string,
  options: { config?: string; format?: CatalogFormat; progress: boolean },
  env: NodeJS.ProcessEnv,
  output: Output,
): Promise<number> {
  const { config } = loadConfig({ file: options.config, env });
  const logger = loggerFor(config).child("import");
  const { readCatalogFile } = await import("../../central/import/catalog-file.js");
  const { importCatalog } = await import("../../central/import/import-catalog.js");
  const { openCentralDb } = await import("../../central/db/open-central-db.js");
  const { migrateCentral } = await import("../../central/migrate.js");
  const { nudgeKiosks } = await import("../../central/catalog-nudge.js");
  const { knownDevices } = await import("../../central/device-writer.js");
  const file = readCatalogFile(path, options.format);
  const db = await openCentralDb(config.central.database, logger);
  try {
    await migrateCentral(db, logger);
    const result = await importCatalog(db, file, {
      at: systemClock.now().toISOString(),
      ...(options.progress ? { progress: await progressBar() } : {}),
    });
    const told = await nudgeKiosks({
      endpoint: centralEndpoint(config.central.broker, config.sync.broker),
      deviceIds: await knownDevices(db),
      cursor: result.cursor,
      logger,
      clock: systemClock,
    });
    output.out(
      `imported ${file.invoices.length} invoices and ${file.clients.length} clients from ${path}: ` +
        `${result.invoicesChanged} invoices and ${result.clientsChanged} clients new or changed; ` +
        `catalog at change ${result.cursor}; ${told} kiosk(s) told` +
        (file.payments?.length
          ? `; ${file.payments.length} Spectra payment(s), ${result.paymentsRecorded} new (central pushes the balances)`
          : ""),
    );
    return 0;
  } finally {
    await db.close();
  }
}

export function registerCentralCommands(
  program: Command,
  output: Output,
  env: NodeJS.ProcessEnv,
  setExitCode: (code: number) => void,
): void {
  const central = program
    .command("central")
    .description(
      "run central (database, ingest workers, fleet dashboard) until stopped; see also `central import`",
    )
    .option(...configOption)
    .action(async (options: { config?: string }) => setExitCode(await centralCommand(options.config, env)));
  central
    .command("import")
    .description("load invoices and clients from a CSV or JSON file into central and tell the kiosks")
    .argument("<file>", "a .csv (one row per invoice line) or .json file")
    .option(...configOption)
    .option("--format <format>", "csv or json (default: from the file name)")
    .option("--no-progress", "no progress bar")
    .action(async (path: string, options: { config?: string; format?: string; progress: boolean }) => {
      const format = options.format === "csv" || options.format === "json" ? options.format : undefined;
      if (options.format !== undefined && format === undefined) {
        output.err(`error: --format must be csv or json, not ${options.format}`);
        setExitCode(2);
        return;
      }
      // `--config` after the subcommand may be taken by `central` itself, which has the same option.
      const config = options.config ?? central.opts<{ config?: string }>().config;
      setExitCode(
        await importCommand(
          path,
          {
            progress: options.progress,
            ...(config ? { config } : {}),
            ...(format ? { format } : {}),
          },
          env,
          output,
        ),
      );
    });
  registerCentralAdminCommands(central, output, env, setExitCode);
}
