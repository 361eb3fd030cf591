import type { KeyObject } from "node:crypto";
import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import type { ElsewhereBook } from "../store/elsewhere-book.js";
import type { InvoiceAccounts } from "../sync/protocol/account-messages.js";
import { checkSigned, type SignedContext, type Verdict } from "./signed-guard.js";

export type AccountsOutcome =
  | (Verdict & { readonly ok: false })
  | {
      readonly ok: true;
      /** The invoices whose accounts were newer than what this kiosk held. */
      readonly changed: readonly string[];
      readonly more: boolean;
    };

/**
 * Central's invoice accounts change what this kiosk lets a client pay, so they count only when
 * central signed them for this kiosk and they are valid now; then each account newer than the one
 * held is kept, and a page answering this kiosk's request moves its cursor. A refused message
 * changes nothing.
 */
export function receiveInvoiceAccounts(
  message: InvoiceAccounts,
  context: SignedContext,
  book: Pick<ElsewhereBook, "apply">,
): AccountsOutcome {
  const verdict = checkSigned("invoiceAccounts", message, context);
  if (!verdict.ok) return verdict;
  const page = message.page ? { since: message.page.since, cursor: message.page.cursor } : null;
  const changed = book.apply(message.accounts, page, context.now.toISOString());
  return { ok: true, changed, more: message.page?.more === true };
}

export interface FollowAccountsDeps {
  /** Central's public key now (null: every message is refused with REMOTE_NO_PUBLIC_KEY). */
  readonly publicKey: () => KeyObject | null;
  readonly deviceId: string;
  readonly clock: Clock;
  readonly maxClockSkewMs: number;
  readonly book: Pick<ElsewhereBook, "apply">;
  readonly logger: Logger;
  /**
   * Told which invoices central's accounts changed, once they are kept (the screen looks again at
   * an invoice it shows). What it throws is logged: it never stops the accounts being followed.
   */
  readonly onChanged?: (invoiceIds: readonly string[]) => void;
}

/** What of the sync agent the kiosk's balances need: central's accounts in, a pull out. */
export interface AccountsLink {
  on(event: "invoiceAccounts", listener: (message: InvoiceAccounts) => void): unknown;
  requestAccounts(): boolean;
}

/**
 * Keeps this kiosk's view of payments made elsewhere current: each accounts message central sends
 * is checked and kept (or refused with its code, in the log), whoever asked is told which invoices
 * changed, and a page saying there is more is followed by the next request.
 */
export function followInvoiceAccounts(sync: AccountsLink, deps: FollowAccountsDeps): void {
  sync.on("invoiceAccounts", (message) => {
    const outcome = receiveInvoiceAccounts(
      message,
      {
        publicKey: deps.publicKey(),
        deviceId: deps.deviceId,
        now: deps.clock.now(),
        maxClockSkewMs: deps.maxClockSkewMs,
      },
      deps.book,
    );
    if (!outcome.ok) {
      deps.logger.warn(`[${outcome.code}] invoice accounts refused: ${outcome.detail}`, {
        code: outcome.code,
      });
      return;
    }
    deps.logger.debug(
      () => `invoice accounts from central: ${outcome.changed.length} newer of ${message.accounts.length}`,
    );
    if (outcome.changed.length > 0 && deps.onChanged) {
      try {
        deps.onChanged(outcome.changed);
      } catch (error) {
        deps.logger.error(`telling the screen of changed balances failed: ${(error as Error).message}`);
      }
    }
    if (outcome.more) sync.requestAccounts();
  });
}
