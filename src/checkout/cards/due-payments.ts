import type { Clock } from "../../core/clock.js";
import { ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";
import type { Logger } from "../../core/logger.js";
import { OPEN } from "../../payments/card-intent/card-intent.js";
import type { CardProcessor } from "../../payments/card-processor.js";
import type { PaymentRecord } from "../../payments/payment-record.js";
import { studioToday } from "../../payments/studio-date.js";
import type { CollectionPolicy } from "../../processors/config.js";
import type { CheckoutTables } from "../checkout-tables.js";
import { runIntent } from "./intent-runner.js";
import { asKioskError, chargeFailure, lookUpByKey } from "./processor-answers.js";

export interface CollectionReport {
  collected: number;
  failed: number;
  /** Due, but not tried now: waiting for their next try, or out of tries (staff follow up). */
  skipped: number;
}

export interface DueDeps {
  readonly store: Pick<CheckoutTables, "ledger" | "transact" | "records" | "collections" | "savedCards">;
  readonly processor: CardProcessor;
  readonly policy: CollectionPolicy;
  readonly clock: Clock;
  readonly timeZone: string;
  readonly logger: Logger;
}

/** A due future payment whose tries have failed or run out: for staff to follow up. */
export interface CollectionProblem {
  readonly record: PaymentRecord;
  readonly attempts: number;
  readonly lastOutcome: string;
  readonly nextTryAt: string | null;
  /** The payment page for the client, when the card needs their authentication. */
  readonly payLink: string | null;
}

/**
 * The scheduled job: charges every card future payment that has fallen due to the client's saved card,
 * as one batch. Each try is crash-safe like a sale (record `authorizing` and a `collect` intent with
 * its own key first); each result is recorded; a failed one goes back to `scheduled` and is tried
 * again after the policy's interval, up to its maximum number of tries.
 */
export async function collectDuePayments(deps: DueDeps): Promise<CollectionReport> {
  const { store, clock, policy } = deps;
  const report: CollectionReport = { collected: 0, failed: 0, skipped: 0 };
  const now = clock.now();
  for (const record of store.records.scheduledDue(studioToday(now, deps.timeZone))) {
    // Card future payments are charged to the card on file; cash and checks are collected at the desk.
    if (record.method.type !== "card") continue;
    const attempts = store.collections.forRecord(record.id);
    const last = attempts.at(-1);
    if (
      attempts.length >= policy.maxAttempts ||
      (last?.nextTryAt && Date.parse(last.nextTryAt) > now.getTime())
    ) {
      report.skipped += 1;
      continue;
    }
    const outcome = await collectOne(deps, record, attempts.length + 1);
    report[outcome] += 1;
  }
  return report;
}

/**
 * Staff asked, from the needs-attention list, to try the saved card again now: one more try, whatever
 * the policy's interval or its maximum number of tries, crash-safe like the scheduled ones.
 */
export async function collectNow(deps: DueDeps, recordId: string): Promise<"collected" | "failed"> {
  const record = deps.store.records.get(recordId);
  if (record?.status !== "scheduled" || record.method.type !== "card") {
    throw new KioskError(
      ErrorCodes.PAYMENT_NOT_COLLECTABLE,
      "This is not a card future payment waiting to be collected.",
      { recordId },
    );
  }
  return collectOne(deps, record, deps.store.collections.forRecord(recordId).length + 1);
}

async function collectOne(
  deps: DueDeps,
  record: PaymentRecord,
  attempt: number,
): Promise<"collected" | "failed"> {
  const { store, processor, policy, clock, logger } = deps;
  const nextTryAt = (): string | null =>
    attempt >= policy.maxAttempts
      ? null
      : new Date(clock.now().getTime() + policy.retryIntervalHours * 3_600_000).toISOString();
  const card = store.savedCards.usable(record.clientId, studioToday(clock.now(), deps.timeZone));
  if (!card) {
    store.transact("the collection attempt", () =>
      store.collections.add({
        recordId: record.id,
        attempt,
        at: clock.now().toISOString(),
        outcome: ErrorCodes.SAVED_CARD_MISSING,
        nextTryAt: nextTryAt(),
      }),
    );
    return "failed";
  }
  const begun = store.ledger.beginCollection(record.id, attempt);
  const run = await runIntent(
    store.ledger,
    { key: begun.key, record: begun.record, state: OPEN, effects: begun.effects },
    "system",
    {
      call: async () => {
        try {
          const charge = await processor.chargeSavedCard({
            idempotencyKey: begun.key,
            token: card.token,
            amount: record.amount,
            reference: { recordId: record.id, deviceId: record.deviceId },
          });
          return { type: "charged", charge, during: "payment" };
        } catch (error) {
          return chargeFailure(asKioskError(error));
        }
      },
      // A collection whose answer is lost stays open: the reconciler looks it up by its key.
      lookUp: (what) => lookUpByKey(processor, what, begun.key, "payment", () => {}),
      writeAlongside: (effect, at) => {
        if (effect.kind !== "note-attempt") return;
        const next = effect.outcome === "approved" ? null : nextTryAt();
        store.collections.add({
          recordId: effect.recordId,
          attempt: effect.attempt,
          at,
          outcome: effect.outcome,
          nextTryAt: next,
        });
      },
      askPerson: (why, code) => {
        if (why === "collection-failed") {
          logger.warn(`collecting ${record.id} failed (try ${attempt} of ${policy.maxAttempts}): ${code}`);
        }
      },
    },
  );
  return run.state.phase === "done" ? "collected" : "failed";
}

/** Due payments whose collection failed or ran out of tries, for the staff screen. */
export function collectionProblems(
  store: Pick<CheckoutTables, "records" | "collections">,
  today: string,
): CollectionProblem[] {
  return store.records
    .scheduledDue(today)
    .map((record) => ({ record, attempts: store.collections.forRecord(record.id) }))
    .filter(({ attempts }) => attempts.length > 0)
    .map(({ record, attempts }) => {
      const last = attempts.at(-1);
      return {
        record,
        attempts: attempts.length,
        lastOutcome: last?.outcome ?? "",
        nextTryAt: last?.nextTryAt ?? null,
        payLink: last?.payLink ?? null,
      };
    });
}
