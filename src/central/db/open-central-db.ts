import type { Logger } from "../../core/logger.js";
import type { CentralConfig } from "../../sync/config.js";
import type { CentralDb } from "./central-db.js";
import { openPglite } from "./pglite-db.js";
import { openPostgres } from "./postgres-db.js";

/** PostgreSQL or the embedded PGlite, exactly as configured: one never stands in for the other. */
export function openCentralDb(config: CentralConfig["database"], logger: Logger): Promise<CentralDb> {
  switch (config.mode) {
    case "postgres":
      return openPostgres({ url: config.url, poolSize: config.poolSize, logger });
    case "embedded":
      return openPglite(config.dataDir);
  }
}
