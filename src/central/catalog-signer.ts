import type { KeyObject } from "node:crypto";
import type { Clock } from "../core/clock.js";
import { ErrorCodes } from "../core/error-codes.js";
import type { Logger } from "../core/logger.js";
import { signCatalogPage } from "../sync/protocol/command-signature.js";
import type { CatalogPage, CatalogRequest } from "../sync/protocol/messages.js";
import { catalogPage } from "./catalog-store.js";
import type { CentralDb } from "./db/central-db.js";
import { SigningKey } from "./signing-key.js";

export interface CatalogSignerDeps {
  readonly db: CentralDb;
  /** Central's command key; throws a coded error when there is none. */
  readonly key: () => KeyObject;
  readonly ttlSeconds: number;
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * Answers a kiosk's catalog request with the page after its cursor, signed for that kiosk with
 * central's command key (a kiosk applies no page central did not sign for it). Without a key no page
 * goes out: the problem is logged once (each request would repeat it), and again once it changes.
 */
export class CatalogSigner {
  readonly #key: SigningKey;

  constructor(private readonly deps: CatalogSignerDeps) {
    this.#key = new SigningKey(deps.key, deps.logger, {
      code: ErrorCodes.CENTRAL_CATALOG_NOT_SIGNED,
      what: "catalog pages are not sent to kiosks",
    });
  }

  /** The signed page for `deviceId`, or null when central has no key to sign it with. */
  async pageFor(deviceId: string, request: CatalogRequest): Promise<CatalogPage | null> {
    const key = this.#key.get();
    if (!key) return null;
    const page = await catalogPage(this.deps.db, request.since, request.limit);
    const now = this.deps.clock.now();
    return signCatalogPage(
      {
        deviceId,
        since: page.since,
        cursor: page.cursor,
        more: page.more,
        clients: page.clients,
        invoices: page.invoices,
        issuedAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + this.deps.ttlSeconds * 1000).toISOString(),
      },
      key,
    );
  }
}
