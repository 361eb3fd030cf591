import { ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";
import type { Logger } from "../../core/logger.js";
import type { CardProcessor } from "../../payments/card-processor.js";
import type { Intent } from "../../store/intent-book.js";
import type { CheckoutTables } from "../checkout-tables.js";
import type { StoredEffectWriter } from "../ledger.js";
import { runIntent } from "./intent-runner.js";
import { asKioskError, chargeFailure, lookUpByKey } from "./processor-answers.js";

export interface ReconcileReport {
  completed: number;
  failed: number;
  voidsSent: number;
  stillOpen: number;
}

export interface ReconcileOptions {
  /** Intents a call in this process is still running: their answer is on its way, so leave them. */
  readonly running?: (key: string) => boolean;
}

/**
 * Run at start (and after the processor comes back): every intent still open is settled by asking
 * the processor about its idempotency key — completed if it charged (or refunded), failed if it never
 * did. Voids are sent again with their key, which is safe. An intent the processor cannot answer
 * about stays open for next time.
 */
/** The tables reconciling reads and the ledger that settles what it learns. */
type ReconcileTables = Pick<
  CheckoutTables,
  "ledger" | "records" | "intents" | "savedCards" | "collections" | "keyedEntries"
>;

export async function reconcileIntents(
  store: ReconcileTables,
  processor: CardProcessor,
  logger: Logger,
  options: ReconcileOptions = {},
): Promise<ReconcileReport> {
  const report: ReconcileReport = { completed: 0, failed: 0, voidsSent: 0, stillOpen: 0 };
  for (const intent of store.intents.unfinished()) {
    if (intent.state !== "open") continue; // deferred intents belong to the offline forwarder
    if (options.running?.(intent.idempotencyKey)) continue;
    try {
      const outcome = await settleIntent(store, processor, logger, intent);
      report[outcome] += 1;
    } catch (error) {
      report.stillOpen += 1;
      logger.warn(`intent ${intent.idempotencyKey} not reconciled yet: ${asKioskError(error).code}`);
    }
  }
  if (report.completed + report.failed + report.voidsSent > 0 || report.stillOpen > 0) {
    logger.info("reconciled processor intents", { ...report });
  }
  return report;
}

/** Asks the card-intent machine what reconciling this intent means, and runs it. */
async function settleIntent(
  store: ReconcileTables,
  processor: CardProcessor,
  logger: Logger,
  intent: Intent,
): Promise<keyof ReconcileReport> {
  const key = intent.idempotencyKey;
  const start = store.ledger.settle(key, { type: "reconcile" }, "system");
  const chargeId = start.record.method.type === "card" ? start.record.method.processorReference : null;
  const notYet = (code: string | null): void => logger.warn(`intent ${key} not reconciled yet: ${code}`);
  const run = await runIntent(
    store.ledger,
    { key, record: start.record, state: start.intent.state, effects: start.effects },
    "system",
    {
      call: async () => {
        try {
          // Reconciling calls the processor only to send a void again.
          if (chargeId) await processor.void({ idempotencyKey: key, chargeId });
          return { type: "void-accepted", during: "reconciliation" };
        } catch (error) {
          return chargeFailure(asKioskError(error));
        }
      },
      lookUp: (what) => lookUpByKey(processor, what, key, "reconciliation", (coded) => notYet(coded.code)),
      writeAlongside: reconciledWrites(store, key),
      askPerson: (why, code) => {
        if (why === "void-unconfirmed") notYet(code);
      },
    },
  );
  switch (run.state.phase) {
    case "done":
      return intent.operation === "void" ? "voidsSent" : "completed";
    case "failed":
      return "failed";
    case "open":
    case "deferred":
      return "stillOpen";
  }
}

/**
 * A reconciled sale keeps the card it tokenized — but a card keyed on the hosted form only with the
 * client's consent (without it, the kiosk deletes it); a reconciled collection counts as a try.
 */
function reconciledWrites(store: ReconcileTables, key: string): StoredEffectWriter {
  return (effect, at) => {
    switch (effect.kind) {
      case "save-card":
        if (store.keyedEntries.forIntent(key)?.consent === false) return;
        store.savedCards.save(effect.clientId, effect.card, at);
        return;
      case "note-attempt":
        // The policy's interval is not known here: the next round may try again at once.
        store.collections.add({
          recordId: effect.recordId,
          attempt: effect.attempt,
          at,
          outcome: effect.outcome,
          nextTryAt: null,
        });
        return;
      case "store-offline":
      case "wipe-stored-card":
        throw new KioskError(ErrorCodes.INTERNAL, `Reconciling does not write ${effect.kind}.`);
    }
  };
}
