import type { Clock } from "../../core/clock.js";
import type { Logger } from "../../core/logger.js";
import { type IntentState, intentKey } from "../../payments/card-intent/card-intent.js";
import type { StoredEffect } from "../../payments/card-intent/intent-events.js";
import type { CardProcessor } from "../../payments/card-processor.js";
import type { OfflinePolicy } from "../../processors/config.js";
import type { CheckoutTables } from "../checkout-tables.js";
import { runIntent } from "./intent-runner.js";
import { asKioskError, chargeFailure, lookUpByKey } from "./processor-answers.js";
import type { ProcessorAvailability } from "./processor-availability.js";

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
    const due = store.ledger.settle(
      key,
      {
        type: "forward",
        now: clock.now().toISOString(),
        storedAt: stored.createdAt,
        maxAgeHours: policy.maxAgeHours,
      },
      "system",
      wipeWhenForwarded,
    );
    const run = await runIntent(
      store.ledger,
      { key, record: due.record, state: due.intent.state, effects: due.effects },
      "system",
      {
        call: async () => {
          try {
            const charge = await processor.sale({
              idempotencyKey: key,
              amount: record.amount,
              source: { kind: "encrypted", payload: stored.payload },
              reference: { recordId: record.id, deviceId: record.deviceId },
            });
            availability.markReachable();
            return { type: "charged", charge, during: "payment" };
          } catch (error) {
            const event = chargeFailure(asKioskError(error));
            if (event.type === "unreachable") availability.markUnreachable();
            return event;
          }
        },
        lookUp: (what) => lookUpByKey(processor, what, key, "payment", () => {}),
        writeAlongside: wipeWhenForwarded,
        askPerson: (why, code) => {
          if (why === "declined-after-offline") {
            logger.warn(`offline card payment ${record.id} was declined later: ${code}`);
          }
        },
      },
    );
    report[forwardResult(run.state)] += 1;
  }
  return report;

  function wipeWhenForwarded(effect: StoredEffect, at: string): void {
    if (effect.kind === "wipe-stored-card") store.offlineCards.forwarded(effect.recordId, effect.outcome, at);
  }
}

function forwardResult(state: IntentState): keyof ForwardReport {
  switch (state.phase) {
    case "done":
      return "approved";
    case "failed":
      return state.failure.reason === "expired" ? "expired" : "declined";
    case "open":
    case "deferred":
      return "waiting"; // still unreachable or unknown: the same key is sent next time
  }
}
