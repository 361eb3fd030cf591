import { loadConfig } from "../../config/load.js";
import { systemClock } from "../../core/clock.js";
import { createLogger } from "../../core/logger.js";
import { startKiosk } from "../kiosk.js";
import { untilStopSignal } from "../stop-signal.js";
import { systemdNotifier } from "../systemd/sd-notify.js";

/**
 * `start`: runs the kiosk until SIGINT or SIGTERM, then shuts it down in order. Under systemd
 * (Type=notify) it says READY once serving, beats the watchdog from the event loop, and says
 * STOPPING before shutting down.
 */
export async function startCommand(file: string | undefined, env: NodeJS.ProcessEnv): Promise<number> {
  const { config } = loadConfig({ file, env });
  const logger = createLogger({
    level: config.log.level,
    ...(config.log.file ? { destination: config.log.file } : {}),
  });
  const systemd = systemdNotifier(env, logger.child("systemd"));
  const kiosk = await startKiosk({ config, logger, clock: systemClock });
  systemd.ready(
    kiosk.state.kind === "in-service" ? "in service" : `OUT OF SERVICE: ${kiosk.state.reason.code}`,
  );
  systemd.startWatchdog();
  await untilStopSignal();
  systemd.stopping();
  await kiosk.stop();
  systemd.close();
  return 0;
}
