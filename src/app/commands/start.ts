import { loadEffectiveConfig } from "../../config/desired-settings.js";
import { type ConfigSource, loadConfig } from "../../config/load.js";
import { systemClock } from "../../core/clock.js";
import { createLogger, type Logger } from "../../core/logger.js";
import { startKiosk } from "../kiosk.js";
import { startRemoteManagement } from "../remote-management.js";
import { untilStopSignal } from "../stop-signal.js";
import { type SystemdNotifier, systemdNotifier } from "../systemd/sd-notify.js";

/**
 * `start`: runs the kiosk until SIGINT or SIGTERM, then shuts it down in order. A restart (a remote
 * command, or a new desired configuration from central) stops the kiosk in the same order and starts
 * it again in this process, with the configuration re-read. Under systemd (Type=notify) it says READY
 * once serving, beats the watchdog from the event loop, and says STOPPING before shutting down.
 * A start that fails (a port already taken) lets go of the signal wait, so the process ends with
 * the coded error.
 */
export async function startCommand(file: string | undefined, env: NodeJS.ProcessEnv): Promise<number> {
  const source: ConfigSource = { file, env };
  const first = loadConfig(source).config;
  const logger = createLogger({
    level: first.log.level,
    ...(first.log.file ? { destination: first.log.file } : {}),
  });
  const systemd = systemdNotifier(env, logger.child("systemd"));
  const startFailed = new AbortController();
  const stopSignal = untilStopSignal(startFailed.signal).then(() => "stop" as const);
  try {
    await runUntilStopped(source, logger, systemd, stopSignal);
  } catch (error) {
    startFailed.abort();
    throw error;
  } finally {
    systemd.close();
  }
  return 0;
}

async function runUntilStopped(
  source: ConfigSource,
  logger: Logger,
  systemd: SystemdNotifier,
  stopSignal: Promise<"stop">,
): Promise<void> {
  let ready = false;
  for (;;) {
    const { config, applied, lastApplied, ignored } = loadEffectiveConfig(source, loadConfig(source).config);
    if (ignored.length > 0)
      logger.warn(`the stored desired configuration no longer validates: ${ignored.join("; ")}`);
    logger.setLevel(config.log.level);
    const kiosk = await startKiosk({ config, logger, clock: systemClock });
    let requestRestart = (): void => {};
    const restart = new Promise<"restart">((resolve) => {
      requestRestart = () => resolve("restart");
    });
    startRemoteManagement({
      kiosk,
      config,
      source,
      applied,
      lastApplied,
      clock: systemClock,
      logger,
      requestRestart,
    });
    const status =
      kiosk.state.kind === "in-service" ? "in service" : `OUT OF SERVICE: ${kiosk.state.reason.code}`;
    if (ready) systemd.status(status);
    else systemd.ready(status);
    ready = true;
    systemd.startWatchdog();
    const reason = await Promise.race([stopSignal, restart]);
    if (reason === "stop") systemd.stopping();
    else systemd.status("restarting");
    await kiosk.stop();
    if (reason === "stop") return;
    logger.info("restarting the kiosk");
  }
}
