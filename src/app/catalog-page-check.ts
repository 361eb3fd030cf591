import type { KioskConfig } from "../config/schema.js";
import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import { catalogPageCheck } from "../remote/catalog-pages.js";
import { centralPublicKey } from "../remote/public-key.js";
import type { CatalogPageCheck } from "../sync/agent/catalog-sync.js";

/**
 * The sync agent's check on catalog pages, with central's public key as this kiosk's configuration
 * gives it (read for each page, like the key for commands and invoice accounts: a key file that
 * appears later counts at once; none, and every page is refused with REMOTE_NO_PUBLIC_KEY).
 */
export function catalogPageCheckFor(config: KioskConfig, clock: Clock, logger: Logger): CatalogPageCheck {
  return catalogPageCheck({
    publicKey: () => centralPublicKey(config.remote, logger),
    deviceId: config.deviceId,
    clock,
    maxClockSkewMs: config.remote.maxClockSkewSeconds * 1000,
  });
}
