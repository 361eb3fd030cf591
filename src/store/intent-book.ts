import type { Database, Statement } from "better-sqlite3";

export type IntentOperation = "sale" | "refund" | "void" | "collect";
/** open: the processor may be being called · deferred: stored offline, to forward · done · failed. */
export type IntentState = "open" | "deferred" | "done" | "failed";

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

/** The idempotency key of one processor call for one record: stable, so a retry reuses it. */
export function intentKey(operation: IntentOperation, recordId: string, attempt?: number): string {
  return attempt === undefined ? `${operation}:${recordId}` : `${operation}:${recordId}:${attempt}`;
}

/**
 * Processor intents: each is committed before the processor is called and settled after, always in
 * the same transaction as the record change it belongs to (the Ledger sees to that).
 */
export class IntentBook {
  readonly #open: Statement<IntentRow & { updated_at: string }>;
  readonly #settle: Statement<{ key: string; state: IntentState; outcome: string | null; at: string }>;
  readonly #get: Statement<[string], IntentRow>;
  readonly #unfinished: Statement<[], IntentRow>;
  readonly #forRecord: Statement<[string], IntentRow>;

  constructor(db: Database) {
    this.#open = db.prepare(
      `INSERT INTO processor_intents (idempotency_key, record_id, operation, amount_minor, currency, state, outcome, created_at, updated_at)
       VALUES (@idempotency_key, @record_id, @operation, @amount_minor, @currency, @state, @outcome, @created_at, @updated_at)`,
    );
    this.#settle = db.prepare(
      "UPDATE processor_intents SET state = @state, outcome = @outcome, updated_at = @at WHERE idempotency_key = @key",
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

  settle(key: string, state: IntentState, outcome: string | null, at: string): void {
    this.#settle.run({ key, state, outcome, at });
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
