import type { Database, Statement } from "better-sqlite3";
import { ErrorCodes } from "../core/error-codes.js";
import { KioskError } from "../core/kiosk-error.js";
import {
  attemptOf,
  type CardIntent,
  type IntentOperation,
  type IntentPhase,
  isPhaseChangeAllowed,
  type StoredIntentState,
  stateFromStored,
} from "../payments/card-intent/card-intent.js";

export { intentKey } from "../payments/card-intent/card-intent.js";
export type { IntentOperation };
/** open: the processor may be being called · deferred: stored offline, to forward · done · failed. */
export type IntentState = IntentPhase;

export interface Intent {
  readonly idempotencyKey: string;
  readonly recordId: string;
  readonly operation: IntentOperation;
  readonly amountMinor: number;
  readonly currency: string;
  readonly state: IntentState;
  readonly outcome: string | null;
  readonly createdAt: string;
}

interface IntentRow {
  idempotency_key: string;
  record_id: string;
  operation: IntentOperation;
  amount_minor: number;
  currency: string;
  state: IntentState;
  outcome: string | null;
  created_at: string;
}

const fromRow = (row: IntentRow): Intent => ({
  idempotencyKey: row.idempotency_key,
  recordId: row.record_id,
  operation: row.operation,
  amountMinor: row.amount_minor,
  currency: row.currency,
  state: row.state,
  outcome: row.outcome,
  createdAt: row.created_at,
});

/** The intent as the card-intent machine reads it. */
export function cardIntentOf(intent: Intent): CardIntent {
  return {
    key: intent.idempotencyKey,
    operation: intent.operation,
    recordId: intent.recordId,
    attempt: attemptOf(intent.operation, intent.idempotencyKey),
    state: stateFromStored({ phase: intent.state, outcome: intent.outcome }),
  };
}

/**
 * Processor intents: each is committed before the processor is called and settled after, always in
 * the same transaction as the record change it belongs to (the Ledger sees to that, asking the
 * card-intent machine for the change). A change is written only from the state it was computed
 * from, and only forward, so the table cannot drift from the machine.
 */
export class IntentBook {
  readonly #open: Statement<IntentRow & { updated_at: string }>;
  readonly #settle: Statement<{
    key: string;
    from_state: IntentState;
    from_outcome: string | null;
    state: IntentState;
    outcome: string | null;
    at: string;
  }>;
  readonly #get: Statement<[string], IntentRow>;
  readonly #unfinished: Statement<[], IntentRow>;
  readonly #forRecord: Statement<[string], IntentRow>;

  constructor(db: Database) {
    this.#open = db.prepare(
      `INSERT INTO processor_intents (idempotency_key, record_id, operation, amount_minor, currency, state, outcome, created_at, updated_at)
       VALUES (@idempotency_key, @record_id, @operation, @amount_minor, @currency, @state, @outcome, @created_at, @updated_at)`,
    );
    this.#settle = db.prepare(
      `UPDATE processor_intents SET state = @state, outcome = @outcome, updated_at = @at
       WHERE idempotency_key = @key AND state = @from_state AND outcome IS @from_outcome`,
    );
    this.#get = db.prepare("SELECT * FROM processor_intents WHERE idempotency_key = ?");
    this.#unfinished = db.prepare(
      "SELECT * FROM processor_intents WHERE state IN ('open', 'deferred') ORDER BY created_at, idempotency_key",
    );
    this.#forRecord = db.prepare("SELECT * FROM processor_intents WHERE record_id = ? ORDER BY created_at");
  }

  open(intent: Omit<Intent, "state" | "outcome">): void {
    this.#open.run({
      idempotency_key: intent.idempotencyKey,
      record_id: intent.recordId,
      operation: intent.operation,
      amount_minor: intent.amountMinor,
      currency: intent.currency,
      state: "open",
      outcome: null,
      created_at: intent.createdAt,
      updated_at: intent.createdAt,
    });
  }

  /**
   * Moves an intent from the state it was read in to the next one. Throws CARD_INTENT_EVENT_REFUSED
   * for a change no intent may make (backwards, or out of done or failed) and CARD_INTENT_STALE when
   * the row is no longer in `from` (someone settled it meanwhile); either way nothing is written.
   */
  settle(key: string, from: StoredIntentState, to: StoredIntentState, at: string): void {
    if (!isPhaseChangeAllowed(from.phase, to.phase)) {
      throw new KioskError(
        ErrorCodes.CARD_INTENT_EVENT_REFUSED,
        `A processor intent cannot go from ${from.phase} to ${to.phase}.`,
        { key, from: from.phase, to: to.phase },
      );
    }
    const { changes } = this.#settle.run({
      key,
      from_state: from.phase,
      from_outcome: from.outcome,
      state: to.phase,
      outcome: to.outcome,
      at,
    });
    if (changes !== 1) {
      throw new KioskError(
        ErrorCodes.CARD_INTENT_STALE,
        `The processor intent is no longer ${from.phase}: another answer settled it first. Nothing was changed.`,
        { key, expected: from.phase },
      );
    }
  }

  get(key: string): Intent | null {
    const row = this.#get.get(key);
    return row ? fromRow(row) : null;
  }

  unfinished(): Intent[] {
    return this.#unfinished.all().map(fromRow);
  }

  forRecord(recordId: string): Intent[] {
    return this.#forRecord.all(recordId).map(fromRow);
  }
}
