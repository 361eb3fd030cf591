import type { Clock } from "../../core/clock.js";
import { ErrorCodes } from "../../core/error-codes.js";
import type { Logger } from "../../core/logger.js";
import type { CardProcessor } from "../../payments/card-processor.js";
import type { KeyedEntry } from "../../store/keyed-entry-book.js";
import type { CheckoutTables } from "../checkout-tables.js";
import { asKioskError } from "./processor-answers.js";

export interface KeyedCleanupDeps {
  readonly store: Pick<CheckoutTables, "intents" | "keyedEntries">;
  readonly processor: CardProcessor;
  readonly logger: Logger;
  /** Intents a call in this process is still running: their entry's card may still be charged. */
  readonly running?: (key: string) => boolean;
}

/** A form open this long is no one's any more: its token lived 15 minutes, no payment will come. */
export const STALE_OPEN_MS = 60 * 60_000;
/** The first retry of a failed deletion; each next one waits twice as long, up to the cap. */
export const FIRST_RETRY_MS = 30_000;
export const MAX_RETRY_MS = 6 * 60 * 60_000;
/** Past this many failed tries a failure is logged as an error: someone should look. */
export const TRIES_BEFORE_ALARM = 10;
/** At most this many deletions in one background round, so a backlog never holds a round up. */
export const DELETIONS_PER_ROUND = 20;

export const retryDelayMs = (failedTries: number): number =>
  Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, Math.min(failedTries - 1, 30)));

export type KeyedCleanupOutcome = "kept" | "deleted" | "failed" | "waiting";

/** What the entry's payment decided about its card: wait for the outcome, keep it, or delete it. */
function decision(deps: KeyedCleanupDeps, entry: KeyedEntry): "wait" | "keep" | "delete" {
  switch (entry.state) {
    case "open":
    case "to-delete":
      return "delete";
    case "charging": {
      const key = entry.intentKey;
      if (key === null) return "delete";
      if (deps.running?.(key)) return "wait";
      const intent = deps.store.intents.get(key);
      if (!intent) return "delete";
      // The reconciler settles an open intent first: the card may have been charged with consent.
      if (intent.state === "open" || intent.state === "deferred") return "wait";
      return intent.state === "done" && entry.consent ? "keep" : "delete";
    }
    case "deleted":
    case "kept":
      return "wait";
  }
}

/**
 * Settles one keyed entry whose payment is over (or that was cancelled or abandoned): an approved
 * payment with the client's consent keeps the card; otherwise the processor is asked to delete it
 * (a card already gone counts as deleted). A failure is written with the time of the next try,
 * so it is retried — after a restart too. Never throws.
 */
export async function settleKeyedEntry(
  deps: KeyedCleanupDeps,
  entry: KeyedEntry,
): Promise<KeyedCleanupOutcome> {
  const { store, processor, logger } = deps;
  const { sessionId } = entry;
  try {
    switch (decision(deps, entry)) {
      case "wait":
        return "waiting";
      case "keep":
        store.keyedEntries.kept(sessionId);
        return "kept";
      case "delete":
        store.keyedEntries.toDelete(sessionId);
    }
  } catch (error) {
    logger.warn(`keyed entry ${sessionId} not settled yet: ${asKioskError(error).code}`);
    return "waiting";
  }
  try {
    await processor.cancelHostedEntry(sessionId);
  } catch (error) {
    const code = asKioskError(error).code;
    const tries = entry.attempts + 1;
    const delay = retryDelayMs(tries);
    try {
      store.keyedEntries.failed(sessionId, code, delay);
    } catch {
      // Not written: the entry stays due and is tried again next round.
    }
    const line = `[${ErrorCodes.KEYED_CARD_NOT_DELETED}] the card keyed on entry ${sessionId} is still stored at the processor (try ${tries}: ${code}); trying again in ${Math.round(delay / 1000)} s`;
    const fields = { code: ErrorCodes.KEYED_CARD_NOT_DELETED, sessionId, cause: code, tries };
    if (tries >= TRIES_BEFORE_ALARM) logger.error(line, fields);
    else logger.warn(line, fields);
    return "failed";
  }
  try {
    store.keyedEntries.deleted(sessionId);
  } catch {
    // Not written: the next round asks again, and "not found" counts as deleted.
  }
  logger.info(`the card keyed on entry ${sessionId} was deleted at the processor (no consent to keep it)`);
  return "deleted";
}

export interface KeyedCleanupReport {
  deleted: number;
  kept: number;
  failed: number;
  waiting: number;
}

/**
 * The background round's part: every keyed entry whose card is neither deleted nor kept — a
 * payment's outcome known, a form cancelled, left open past STALE_OPEN_MS or by a previous run —
 * is settled, a failed deletion only once its backoff has passed, at most DELETIONS_PER_ROUND.
 */
export async function cleanUpKeyedEntries(
  deps: KeyedCleanupDeps & { clock: Clock },
): Promise<KeyedCleanupReport> {
  const report: KeyedCleanupReport = { deleted: 0, kept: 0, failed: 0, waiting: 0 };
  const now = deps.clock.now().getTime();
  let tried = 0;
  for (const entry of deps.store.keyedEntries.unfinished()) {
    const notYet =
      (entry.state === "open" && now - Date.parse(entry.openedAt) < STALE_OPEN_MS) ||
      (entry.state === "to-delete" && entry.nextTryAt !== null && Date.parse(entry.nextTryAt) > now);
    if (notYet || tried >= DELETIONS_PER_ROUND) {
      report.waiting += 1;
      continue;
    }
    const outcome = await settleKeyedEntry(deps, entry);
    if (outcome === "deleted" || outcome === "failed") tried += 1;
    report[outcome] += 1;
  }
  if (report.deleted + report.kept + report.failed > 0)
    deps.logger.info("keyed entries settled", { ...report });
  return report;
}
