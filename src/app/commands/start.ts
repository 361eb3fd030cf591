import { loadConfig } from "../../config/load.js";
import { systemClock } from "../../core/clock.js";
import { createLogger } from "../../core/logger.js";
import { startKiosk } from "../kiosk.js";
import { untilStopSignal } from "../stop-signal.js";

/** `start`: runs the kiosk until SIGINT or SIGTERM, then shuts it down in order. */
export async function startCommand(file: string | undefined, env: NodeJS.ProcessEnv): Promise<number> {
  const { config } = loadConfig({ file, env });
  const logger = createLogger({
    level: config.log.level,
    ...(config.log.file ? { destination: config.log.file } : {}),
  });
  const kiosk = await startKiosk({ config, logger, clock: systemClock });
  await untilStopSignal();
  await kiosk.stop();
  return 0;
}
