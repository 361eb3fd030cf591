import type { Logger } from "../../core/logger.js";
import type { Sql } from "../db/central-db.js";
import { type DueCollection, dueCollections, triesFor } from "./due-collections.js";
import type { OffSessionCharger, OffSessionOutcome } from "./off-session-charger.js";

/** How often a soft decline is tried again, and how many tries a due payment gets. */
export interface RetrySchedule {
  readonly retryIntervalHours: number;
  readonly maxAttempts: number;
}

export interface CollectorDeps {
  readonly db: Sql;
  readonly charger: OffSessionCharger;
  readonly schedule: RetrySchedule;
  readonly logger: Logger;
  readonly now: () => Date;
  /** The studio's date now ("YYYY-MM-DD"): what is due by then is collected. */
  readonly today: () => string;
  /** Told after each try that settled, so the kiosk holding the record can look at once. */
  readonly tried?: (deviceId: string, recordId: string) => void;
}

export interface CollectorReport {
  charged: number;
  declined: number;
  authenticationRequired: number;
  /** Not tried now: waiting for the next try, out of tries, waiting for the client, or no card. */
  skipped: number;
  /** The processor did not say what happened: the same key goes again next round. */
  unknown: number;
}

/** The key of a try: the same for the same try after any crash, another for the next. */
export const collectionKey = (recordId: string, attempt: number): string => `collect:${recordId}:${attempt}`;

/**
 * Central's round of due future payments (a kiosk may be switched off at night): each scheduled card
 * payment due by today is charged off-session to the client's saved card with the studio's full key.
 * Each try is written before the call with its own idempotency key (`collect:{record}:{try}`, the key
 * the kiosk's intents use too) and its outcome after; a try whose answer was lost is sent again with
 * the same key. Soft declines are tried again after `retryIntervalHours`, up to `maxAttempts`; a
 * charge that needs the client's authentication stops there with a payment page to send them.
 */
export async function collectDueOffSession(deps: CollectorDeps): Promise<CollectorReport> {
  const report: CollectorReport = {
    charged: 0,
    declined: 0,
    authenticationRequired: 0,
    skipped: 0,
    unknown: 0,
  };
  for (const due of await dueCollections(deps.db, deps.today())) {
    const attempt = await nextAttempt(deps, due);
    if (attempt === null || due.token === null) {
      report.skipped += 1;
      continue;
    }
    const outcome = await tryOnce(deps, due, due.token, attempt);
    if (outcome === null) {
      report.unknown += 1;
      continue;
    }
    if (outcome.kind === "charged") report.charged += 1;
    else if (outcome.kind === "declined") report.declined += 1;
    else report.authenticationRequired += 1;
    deps.tried?.(due.deviceId, due.recordId);
  }
  return report;
}

/** The try to make now: the unfinished one again, the next when its time has come, else null. */
async function nextAttempt(deps: CollectorDeps, due: DueCollection): Promise<number | null> {
  const tries = await triesFor(deps.db, due.recordId);
  const last = tries.at(-1);
  if (!last) return 1;
  if (last.outcome === "unknown") return last.attempt;
  if (last.outcome !== "declined") return null; // charged, or waiting for the client's authentication
  if (last.nextTryAt === null || last.nextTryAt.getTime() > deps.now().getTime()) return null;
  return last.attempt < deps.schedule.maxAttempts ? last.attempt + 1 : null;
}

async function tryOnce(
  deps: CollectorDeps,
  due: DueCollection,
  token: string,
  attempt: number,
): Promise<OffSessionOutcome | null> {
  const key = collectionKey(due.recordId, attempt);
  const at = deps.now();
  // On disk before the call: after a crash the same key is sent again, and Stripe answers as before.
  await deps.db.query(
    `INSERT INTO off_session_collections
       (record_id, attempt, device_id, idempotency_key, token, amount_minor, currency, outcome, tried_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'unknown', $8)
     ON CONFLICT (record_id, attempt) DO UPDATE SET tried_at = excluded.tried_at`,
    [due.recordId, attempt, due.deviceId, key, token, due.amountMinor, due.currency, at.toISOString()],
  );
  let outcome: OffSessionOutcome;
  try {
    outcome = await deps.charger.charge({
      idempotencyKey: key,
      token,
      amountMinor: due.amountMinor,
      currency: due.currency,
      metadata: { spectra_key: key, record_id: due.recordId, device_id: due.deviceId, kind: "collect" },
      pageKey: collectionKey(due.recordId, attempt + 1),
      description: `Invoice ${due.invoiceNumber}`,
    });
  } catch (error) {
    deps.logger.warn(`collecting ${due.recordId} (try ${attempt}): no answer, tried again next round`, {
      error: (error as Error).message.slice(0, 200),
    });
    return null;
  }
  const retryAt =
    outcome.kind === "declined" && outcome.soft && attempt < deps.schedule.maxAttempts
      ? new Date(at.getTime() + deps.schedule.retryIntervalHours * 3_600_000).toISOString()
      : null;
  await deps.db.query(
    `UPDATE off_session_collections
        SET outcome = $3, decline_code = $4, payment_intent = $5, pay_link_url = $6, next_try_at = $7
      WHERE record_id = $1 AND attempt = $2`,
    [
      due.recordId,
      attempt,
      outcome.kind,
      outcome.kind === "declined"
        ? outcome.code
        : outcome.kind === "authentication-required"
          ? "authentication_required"
          : null,
      outcome.paymentIntent,
      outcome.kind === "authentication-required" ? outcome.payLinkUrl : null,
      retryAt,
    ],
  );
  deps.logger.info(`collected ${due.recordId} off-session (try ${attempt}): ${outcome.kind}`);
  return outcome;
}
