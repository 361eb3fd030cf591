import type { KioskConfig } from "../../config/schema.js";
import { createLogger, type Logger } from "../../core/logger.js";

/** The configured logger: to the log file if one is set, standard output otherwise. */
export function loggerFor(config: KioskConfig): Logger {
  return createLogger({
    level: config.log.level,
    ...(config.log.file ? { destination: config.log.file } : {}),
  });
}
