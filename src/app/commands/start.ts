import { loadConfig } from "../../config/load.js";
import { systemClock } from "../../core/clock.js";
import { createLogger } from "../../core/logger.js";
import { startKiosk } from "../kiosk.js";

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

/** Resolves on SIGINT or SIGTERM. Signal listeners alone do not keep Node running, so a timer does. */
export function untilStopSignal(): Promise<void> {
  return new Promise((resolve) => {
    const keepAlive = setInterval(() => {}, 1 << 30);
    const stop = (): void => {
      clearInterval(keepAlive);
      resolve();
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}
