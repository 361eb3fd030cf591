import type { Clock } from "../../core/clock.js";
import type { Logger } from "../../core/logger.js";
import type { CentralDb } from "../db/central-db.js";
import type { IntegrationApiConfig } from "./api-config.js";

export interface IntegrationApiDeps {
  readonly db: CentralDb;
  readonly config: IntegrationApiConfig;
  /** Tells connected kiosks that the catalog moved (after invoices are posted). */
  readonly nudge: (cursor: number) => Promise<void>;
  readonly logger: Logger;
  readonly clock: Clock;
}
