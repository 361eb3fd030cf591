import { performance } from "node:perf_hooks";
import type { Database } from "better-sqlite3";
import type { Clock } from "../../core/clock.js";
import { type ErrorCode, ErrorCodes } from "../../core/error-codes.js";
import type { Logger } from "../../core/logger.js";
import type { InvoiceCache } from "../../store/invoice-cache.js";
import { encodeMessage, type Outgoing } from "../protocol/codec.js";
import type { CatalogChanged, CatalogPage } from "../protocol/messages.js";
import type { CatalogCursor } from "./catalog-cursor.js";

/** Whether a page may change this kiosk; a refusal carries its code and what is wrong. */
export type CatalogPageVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly code: ErrorCode; readonly detail: string };

/**
 * Checks that central signed a page for this kiosk and that it is valid now. It lives where central's
 * key is known (src/remote/catalog-pages.ts) and is passed in by the composition root.
 */
export type CatalogPageCheck = (page: CatalogPage) => CatalogPageVerdict;

export interface CatalogSyncDeps {
  readonly db: Database;
  readonly invoices: InvoiceCache;
  readonly cursor: CatalogCursor;
  readonly deviceId: string;
  readonly clock: Clock;
  readonly newId: () => string;
  readonly logger: Logger;
  readonly pageSize: number;
  readonly checkPage: CatalogPageCheck;
}

/** A request with no page after this long may be asked again. */
const REQUEST_PATIENCE_MS = 30_000;

/**
 * Keeps the invoice cache caught up with central's catalog by pulling: on every connection and on
 * every "catalog changed" nudge it asks for the changes after its cursor, a page at a time, and
 * applies each page central signed for this kiosk with the cursor in one transaction. Updates are
 * idempotent (a newer version wins), so a page applied twice changes nothing, and a lost nudge only
 * delays the next pull.
 */
export class CatalogSync {
  #send: ((message: Outgoing) => void) | null = null;
  #requestedAt: number | null = null;
  applied = 0;

  constructor(private readonly deps: CatalogSyncDeps) {}

  attach(send: (message: Outgoing) => void): void {
    this.#send = send;
    this.#requestedAt = null;
    this.#request();
  }

  detach(): void {
    this.#send = null;
    this.#requestedAt = null;
  }

  /** Pulls the whole catalog again from the start (the `reload-invoices` command). */
  reload(): void {
    this.deps.cursor.set(0, this.deps.clock.now().toISOString());
    this.#requestedAt = null;
    this.#request();
  }

  /** An unsigned nudge: it only makes the kiosk ask sooner, and only signed pages change anything. */
  onChanged(changed: CatalogChanged): void {
    if (changed.cursor > this.deps.cursor.get()) this.#request();
  }

  onPage(page: CatalogPage): void {
    const { db, invoices, cursor, clock, logger } = this.deps;
    // A page fills the invoice cache (totals, names), so it counts only when central signed it for
    // this kiosk and it is valid now. `catalogChanged` stays unsigned: it changes nothing itself,
    // it only asks for the next (signed) page sooner. A refused page changes nothing, not even the
    // wait for the page central owes: a forged one cannot hurry or hold up the real one.
    const verdict = this.deps.checkPage(page);
    if (!verdict.ok) {
      logger.warn(`[${verdict.code}] catalog page refused: ${verdict.detail}`, {
        code: verdict.code,
        since: page.since,
      });
      return;
    }
    const at = clock.now().toISOString();
    let advanced = false;
    try {
      db.transaction(() => {
        for (const client of page.clients) invoices.upsertClient(client, at);
        for (const invoice of page.invoices) invoices.upsertInvoice(invoice, at);
        // Only a page that starts at or before what we hold closes the gap up to its cursor.
        const current = cursor.get();
        if (page.since <= current && page.cursor > current) {
          cursor.set(page.cursor, at);
          advanced = true;
        }
      }).immediate();
    } catch (error) {
      logger.error(
        `[${ErrorCodes.SYNC_CATALOG_APPLY_FAILED}] a catalog page could not be applied: ${(error as Error).message}`,
        {
          code: ErrorCodes.SYNC_CATALOG_APPLY_FAILED,
          since: page.since,
        },
      );
      this.#requestedAt = null;
      return;
    }
    this.applied += page.clients.length + page.invoices.length;
    logger.debug(
      () => `catalog page applied: ${page.invoices.length} invoices, ${page.clients.length} clients`,
    );
    this.#requestedAt = null;
    if (page.more && advanced) this.#request();
  }

  #request(): void {
    const send = this.#send;
    if (!send) return;
    const now = performance.now();
    if (this.#requestedAt !== null && now - this.#requestedAt < REQUEST_PATIENCE_MS) return;
    this.#requestedAt = now;
    send(
      encodeMessage(
        "catalogRequest",
        this.deps.deviceId,
        { since: this.deps.cursor.get(), limit: this.deps.pageSize },
        { messageId: this.deps.newId(), sentAt: this.deps.clock.now().toISOString() },
      ),
    );
  }
}
