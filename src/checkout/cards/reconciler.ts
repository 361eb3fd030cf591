import { ErrorCodes } from "../../core/error-codes.js";
import type { Logger } from "../../core/logger.js";
import type { CardProcessor } from "../../payments/card-processor.js";
import type { Intent } from "../../store/intent-book.js";
import type { CheckoutTables } from "../checkout-tables.js";
import { asKioskError } from "./card-charger.js";
import { approvedChange, declinedChange } from "./settle-charge.js";

export interface ReconcileReport {
  completed: number;
  failed: number;
  voidsSent: number;
  stillOpen: number;
}

/**
 * Run at start (and after the processor comes back): every intent still open is settled by asking
 * the processor about its idempotency key — completed if it charged (or refunded), failed if it never
 * did. Voids are sent again with their key, which is safe. An intent the processor cannot answer
 * about stays open for next time.
 */
/** The tables reconciling reads and the ledger that settles what it learns. */
type ReconcileTables = Pick<CheckoutTables, "ledger" | "records" | "intents">;

export async function reconcileIntents(
  store: ReconcileTables,
  processor: CardProcessor,
  logger: Logger,
): Promise<ReconcileReport> {
  const report: ReconcileReport = { completed: 0, failed: 0, voidsSent: 0, stillOpen: 0 };
  for (const intent of store.intents.unfinished()) {
    if (intent.state !== "open") continue; // deferred intents belong to the offline forwarder
    try {
      const outcome = await settleIntent(store, processor, intent);
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

async function settleIntent(
  store: ReconcileTables,
  processor: CardProcessor,
  intent: Intent,
): Promise<"completed" | "failed" | "voidsSent"> {
  const key = intent.idempotencyKey;
  const record = store.records.get(intent.recordId);
  if (!record) throw new Error(`record ${intent.recordId} is missing`);
  const interrupted = ErrorCodes.CARD_PAYMENT_INTERRUPTED;
  switch (intent.operation) {
    case "sale":
    case "collect": {
      const charge = await processor.lookup(key);
      if (charge) {
        store.ledger.settle(
          { key, state: "done", outcome: "approved" },
          approvedChange(record, charge),
          "system",
          "record.reconciled",
        );
        return "completed";
      }
      // Never charged. A collection goes back to waiting; a sale was interrupted before the charge.
      const change =
        intent.operation === "collect"
          ? { status: "scheduled" as const, paymentDate: null }
          : declinedChange(interrupted);
      store.ledger.settle(
        { key, state: "failed", outcome: interrupted },
        change,
        "system",
        "record.reconciled",
      );
      return "failed";
    }
    case "refund": {
      const refund = await processor.lookupRefund(key);
      if (refund && record.method.type === "card") {
        const change = {
          status: "completed" as const,
          method: { ...record.method, processorReference: refund.refundId },
        };
        store.ledger.settle(
          { key, state: "done", outcome: "approved" },
          change,
          "system",
          "record.reconciled",
        );
        return "completed";
      }
      store.ledger.settle(
        { key, state: "failed", outcome: interrupted },
        declinedChange(interrupted),
        "system",
        "record.reconciled",
      );
      return "failed";
    }
    case "void": {
      const chargeId = record.method.type === "card" ? record.method.processorReference : null;
      if (chargeId) await processor.void({ idempotencyKey: key, chargeId });
      store.ledger.settle({ key, state: "done", outcome: "voided" }, null, "system", "record.void-sent");
      return "voidsSent";
    }
  }
}
