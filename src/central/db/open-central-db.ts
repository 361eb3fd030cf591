import { ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";
import type { Logger } from "../../core/logger.js";
import type { CentralConfig } from "../config.js";
import type { CentralDb } from "./central-db.js";
import { openPostgres, postgresPool } from "./postgres-db.js";

/**
 * PostgreSQL or the embedded PGlite, exactly as configured: one never stands in for the other. PGlite
 * is loaded only when configured: it is PostgreSQL compiled to WebAssembly, which a node started with
 * --lite-mode or --jitless (as the kiosk's systemd unit runs it) does not have.
 * `lazily`: PostgreSQL is not asked anything yet (central then waits for it); PGlite opens at once.
 */
export async function openCentralDb(
  config: CentralConfig["database"],
  logger: Logger,
  options: { lazily?: boolean } = {},
): Promise<CentralDb> {
  switch (config.mode) {
    case "postgres": {
      const settings = { url: config.url, poolSize: config.poolSize, logger };
      return options.lazily ? postgresPool(settings) : openPostgres(settings);
    }
    case "embedded": {
      if (!("WebAssembly" in globalThis)) {
        throw new KioskError(
          ErrorCodes.CENTRAL_DB_UNAVAILABLE,
          "The embedded central database (PGlite) runs in WebAssembly, which this node was started without (--lite-mode or --jitless, as the kiosk's systemd unit runs it): start it with plain node, or give central a PostgreSQL database.",
        );
      }
      const { openPglite } = await import("./pglite-db.js");
      return openPglite(config.dataDir);
    }
  }
}
