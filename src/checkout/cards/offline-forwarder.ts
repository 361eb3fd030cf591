import type { Clock } from "../../core/clock.js";
import { ErrorCodes } from "../../core/error-codes.js";
import type { Logger } from "../../core/logger.js";
import type { CardProcessor } from "../../payments/card-processor.js";
import type { OfflinePolicy } from "../../processors/config.js";
import { isDecline } from "../../processors/gateway/gateway-errors.js";
import { intentKey } from "../../store/intent-book.js";
import type { CheckoutTables } from "../checkout-tables.js";
import { asKioskError } from "./card-charger.js";
import type { ProcessorAvailability } from "./processor-availability.js";
import { approvedChange, declinedChange } from "./settle-charge.js";

export interface ForwardReport {
  approved: number;
  declined: number;
  expired: number;
  waiting: number;
}

/**
 * Sends card payments stored offline once the processor answers again, each with the idempotency key
 * its intent was given, so a repeat never charges twice. The reader-encrypted data is wiped as each
 * is settled; a decline stays listed for staff. Payments older than the policy's maximum age are not
 * sent: they are declined as expired, for staff to collect another way.
 */
export async function forwardOfflinePayments(deps: {
  store: Pick<CheckoutTables, "ledger" | "records" | "offlineCards">;
  processor: CardProcessor;
  availability: ProcessorAvailability;
  policy: OfflinePolicy;
  clock: Clock;
  logger: Logger;
}): Promise<ForwardReport> {
  const { store, processor, availability, policy, clock, logger } = deps;
  const report: ForwardReport = { approved: 0, declined: 0, expired: 0, waiting: 0 };
  for (const stored of store.offlineCards.pending()) {
    const record = store.records.get(stored.recordId);
    if (!record) continue;
    const key = intentKey("sale", record.id);
    const settle = (
      state: "done" | "failed",
      outcome: string,
      change: Parameters<typeof store.ledger.settle>[1],
    ) =>
      store.ledger.settle({ key, state, outcome }, change, "system", "record.forwarded", (at) =>
        store.offlineCards.forwarded(record.id, outcome, at),
      );
    const ageHours = (clock.now().getTime() - Date.parse(stored.createdAt)) / 3_600_000;
    if (ageHours > policy.maxAgeHours) {
      settle("failed", ErrorCodes.CARD_OFFLINE_EXPIRED, declinedChange(ErrorCodes.CARD_OFFLINE_EXPIRED));
      report.expired += 1;
      continue;
    }
    try {
      const charge = await processor.sale({
        idempotencyKey: key,
        amount: record.amount,
        source: { kind: "encrypted", payload: stored.payload },
        reference: { recordId: record.id, deviceId: record.deviceId },
      });
      availability.markReachable();
      settle("done", "approved", approvedChange(record, charge));
      report.approved += 1;
    } catch (error) {
      const coded = asKioskError(error);
      if (isDecline(coded) || coded.code === ErrorCodes.PROCESSOR_REJECTED_REQUEST) {
        settle("failed", coded.code, declinedChange(coded.code));
        logger.warn(`offline card payment ${record.id} was declined later: ${coded.code}`);
        report.declined += 1;
        continue;
      }
      if (coded.code === ErrorCodes.PROCESSOR_UNAVAILABLE) availability.markUnreachable();
      report.waiting += 1; // still unreachable or unknown: the same key is sent next time
    }
  }
  return report;
}
