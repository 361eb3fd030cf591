import { desiredEvaluator } from "../config/desired-settings.js";
import type { ConfigSource } from "../config/load.js";
import type { KioskConfig } from "../config/schema.js";
import type { Clock } from "../core/clock.js";
import { ErrorCodes } from "../core/error-codes.js";
import type { KioskError } from "../core/kiosk-error.js";
import type { Logger } from "../core/logger.js";
import { type AppliedDesired, decideDesired, reportOf, writeApplied } from "../remote/desired-config.js";
import { followInvoiceAccounts } from "../remote/invoice-accounts.js";
import { centralPublicKey } from "../remote/public-key.js";
import { RemoteCommands } from "../remote/remote-commands.js";
import type { RunningKiosk } from "./kiosk.js";
import { kioskControl } from "./kiosk-control.js";
import { storeDeliveredSecrets } from "./kiosk-secrets.js";
import { reportUpdateResult } from "./release/update-report.js";

export interface RemoteManagementDeps {
  readonly kiosk: RunningKiosk;
  readonly config: KioskConfig;
  readonly source: ConfigSource;
  readonly applied: AppliedDesired | null;
  /** The configuration last applied from central, in force or not: central's next one must be newer. */
  readonly lastApplied: AppliedDesired | null;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Restarts the kiosk in order (a command, or a new desired configuration to apply). */
  readonly requestRestart: () => void;
}

/**
 * Connects the sync agent's downlink to the kiosk: signed commands are verified and run, signed
 * desired configurations are applied (written to the data directory, then an orderly restart) or
 * refused with a code and their problems while the old one keeps running — and every outcome is
 * logged and reported to central.
 */
export function startRemoteManagement(deps: RemoteManagementDeps): void {
  const { kiosk, config, source, clock, logger } = deps;
  const sync = kiosk.sync;
  if (!sync || kiosk.state.kind !== "in-service") return;
  const store = kiosk.state.store;
  const startedAt = clock.now().toISOString();
  const studio = { name: config.studio.name, timeZone: config.studio.timeZone };
  const publicKey = () => centralPublicKey(config.remote, logger);
  const maxClockSkewMs = config.remote.maxClockSkewSeconds * 1000;
  const commands = new RemoteCommands({
    control: kioskControl(kiosk, config, logger, deps.requestRestart),
    log: store.remoteCommands,
    publicKey,
    deviceId: config.deviceId,
    maxClockSkewMs,
    clock,
    logger: logger.child("remote"),
    report: (result) => {
      if (!sync.reportCommandResult(result))
        logger.warn(`result of command ${result.commandId} not sent: offline`);
    },
  });
  store.remoteCommands.prune(new Date(clock.now().getTime() - 24 * 3_600_000).toISOString());

  sync.reportConfig(reportOf(deps.applied, null, startedAt, studio));
  // How the last update command ended. This process is the new release (the updater writes the
  // result once it has seen it healthy, so after this start) or the one rolled back to: look for the
  // result every 5 s for as long as the updater may wait, and report it once central can be reached.
  const reportUpdate = () =>
    reportUpdateResult(config.dataDir, (result) => sync.reportCommandResult(result), logger);
  const lookUntil = clock.now().getTime() + 15 * 60_000;
  if (reportUpdate() !== "reported") {
    const look = setInterval(() => {
      if (reportUpdate() === "reported" || clock.now().getTime() > lookUntil) clearInterval(look);
    }, 5000);
    look.unref();
  }
  sync.on("command", (command) => {
    commands
      .handle(command)
      .catch((error: unknown) => logger.error(`command handling failed: ${(error as Error).message}`));
  });
  followInvoiceAccounts(sync, {
    publicKey,
    deviceId: config.deviceId,
    clock,
    maxClockSkewMs,
    book: store.elsewhere,
    logger: logger.child("balances"),
    // The touchscreen looks again at an invoice it shows whose balance central just changed.
    onChanged: (invoiceIds) => kiosk.ui?.session.invoicesChanged(invoiceIds),
  });
  sync.on("desiredConfig", (desired) => {
    const decision = decideDesired(desired, {
      publicKey: publicKey(),
      deviceId: config.deviceId,
      now: clock.now(),
      maxClockSkewMs,
      lastApplied: deps.lastApplied,
      evaluate: desiredEvaluator(source),
    });
    switch (decision.kind) {
      case "already-applied":
        return;
      case "refused": {
        // Each line fits the reported configuration's bound (300 characters).
        const problems = decision.problems.map((problem) => `[${decision.code}] ${problem}`.slice(0, 300));
        logger.warn(
          `[${decision.code}] desired configuration ${desired.version} refused: ${problems.join("; ")}`,
          {
            code: decision.code,
          },
        );
        sync.reportConfig(reportOf(deps.applied, { version: desired.version, problems }, startedAt, studio));
        return;
      }
      case "apply": {
        // Secrets first (each sealed to this kiosk): one that does not open refuses the whole version.
        try {
          const stored = storeDeliveredSecrets(config.dataDir, config.deviceId, desired.secrets ?? {});
          if (stored.length > 0)
            logger.info(`stored ${stored.length} secret(s) from central: ${stored.join(", ")}`);
        } catch (error) {
          const code = (error as KioskError).code ?? ErrorCodes.REMOTE_SECRET_UNREADABLE;
          const problem = `[${code}] ${(error as Error).message}`.slice(0, 300);
          logger.warn(`desired configuration ${desired.version} refused: ${problem}`, { code });
          sync.reportConfig(
            reportOf(deps.applied, { version: desired.version, problems: [problem] }, startedAt, studio),
          );
          return;
        }
        writeApplied(config.dataDir, decision.applied);
        logger.info(`desired configuration ${desired.version} accepted: restarting to apply it`);
        deps.requestRestart();
        return;
      }
    }
  });
}
