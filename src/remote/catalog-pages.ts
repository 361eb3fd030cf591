import type { KeyObject } from "node:crypto";
import type { Clock } from "../core/clock.js";
import type { CatalogPageCheck } from "../sync/agent/catalog-sync.js";
import { checkSigned } from "./signed-guard.js";

export interface CatalogPageCheckDeps {
  /** Central's public key now (null: every page is refused with REMOTE_NO_PUBLIC_KEY). */
  readonly publicKey: () => KeyObject | null;
  readonly deviceId: string;
  readonly clock: Clock;
  readonly maxClockSkewMs: number;
}

/**
 * A catalog page fills the invoice cache a client pays against, so the sync agent applies one only
 * when central signed it for this kiosk and it is valid now — the same check, in the same order, as
 * invoice accounts, under the catalog page's own label and codes (REMOTE_CATALOG_*).
 */
export function catalogPageCheck(deps: CatalogPageCheckDeps): CatalogPageCheck {
  return (page) =>
    checkSigned("catalogPage", page, {
      publicKey: deps.publicKey(),
      deviceId: deps.deviceId,
      now: deps.clock.now(),
      maxClockSkewMs: deps.maxClockSkewMs,
    });
}
