import type { Clock } from "../../core/clock.js";
import type { Logger } from "../../core/logger.js";
import { OPEN } from "../../payments/card-intent/card-intent.js";
import type { CardProcessor } from "../../payments/card-processor.js";
import type { CentralCollections, CentralCollectionTry } from "../../payments/central-collections.js";
import type { PaymentRecord } from "../../payments/payment-record.js";
import { studioToday } from "../../payments/studio-date.js";
import type { CheckoutTables } from "../checkout-tables.js";
import { runIntent } from "./intent-runner.js";
import { lookUpByKey } from "./processor-answers.js";

export interface CentralCollectionDeps {
  readonly store: Pick<CheckoutTables, "ledger" | "transact" | "records" | "collections">;
  readonly collections: CentralCollections;
  readonly processor: CardProcessor;
  readonly clock: Clock;
  readonly timeZone: string;
  readonly logger: Logger;
}

export interface AppliedReport {
  collected: number;
  failedTries: number;
}

/**
 * The kiosk's side of central's off-session collections: for each due card payment this kiosk holds
 * as scheduled, the tries central made that the kiosk has not noted yet are read at the processor
 * (never from a message alone) and applied in order — a charge completes the record, dated today,
 * through a collection intent under the same key (`collect:{record}:{try}`), so it syncs to central
 * like any record and a crash midway is reconciled by that key; a decline, or a card that needs the
 * client's authentication (with its payment page), is noted as a try for staff.
 */
export async function applyCentralCollections(deps: CentralCollectionDeps): Promise<AppliedReport> {
  const { store, clock } = deps;
  const report: AppliedReport = { collected: 0, failedTries: 0 };
  for (const record of store.records.scheduledDue(studioToday(clock.now(), deps.timeZone))) {
    if (record.method.type !== "card") continue;
    const noted = store.collections.forRecord(record.id).length;
    let tries: CentralCollectionTry[];
    try {
      tries = (await deps.collections.triesFor(record.id)).filter((each) => each.attempt > noted);
    } catch (error) {
      deps.logger.warn(`reading central's collections of ${record.id} failed: ${(error as Error).message}`);
      return report;
    }
    for (const found of tries) {
      if (found.kind === "charged") {
        if (await complete(deps, record, found)) report.collected += 1;
        break;
      }
      store.transact("central's collection try", () =>
        store.collections.add({
          recordId: record.id,
          attempt: found.attempt,
          at: clock.now().toISOString(),
          outcome: found.kind === "declined" ? found.code : "authentication_required",
          nextTryAt: null,
          payLink: found.kind === "authentication-required" ? found.payLink : null,
        }),
      );
      report.failedTries += 1;
    }
  }
  return report;
}

async function complete(
  deps: CentralCollectionDeps,
  record: PaymentRecord,
  found: Extract<CentralCollectionTry, { kind: "charged" }>,
): Promise<boolean> {
  const { store, processor } = deps;
  const begun = store.ledger.beginCollection(record.id, found.attempt);
  const run = await runIntent(
    store.ledger,
    { key: begun.key, record: begun.record, state: OPEN, effects: begun.effects },
    "central",
    {
      call: async () => ({ type: "charged", charge: found.charge, during: "payment" }),
      lookUp: (what) => lookUpByKey(processor, what, begun.key, "payment", () => {}),
      writeAlongside: (effect, at) => {
        if (effect.kind !== "note-attempt") return;
        store.collections.add({
          recordId: effect.recordId,
          attempt: effect.attempt,
          at,
          outcome: effect.outcome,
          nextTryAt: null,
        });
      },
      askPerson: (_why, code) => deps.logger.warn(`applying central's collection of ${record.id}: ${code}`),
    },
  );
  return run.state.phase === "done";
}
