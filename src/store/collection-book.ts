import type { Database, Statement } from "better-sqlite3";

export interface CollectionAttempt {
  readonly recordId: string;
  readonly attempt: number;
  readonly at: string;
  readonly outcome: string;
  readonly nextTryAt: string | null;
  /** The payment page the client can pay on when the card needs their authentication. */
  readonly payLink?: string | null;
}

/** Every try at charging a due future payment to a saved card: the retry policy reads it. */
export class CollectionBook {
  readonly #add: Statement<{
    record_id: string;
    attempt: number;
    at: string;
    outcome: string;
    next_try_at: string | null;
    pay_link: string | null;
  }>;
  readonly #forRecord: Statement<
    [string],
    {
      record_id: string;
      attempt: number;
      at: string;
      outcome: string;
      next_try_at: string | null;
      pay_link: string | null;
    }
  >;

  constructor(db: Database) {
    this.#add = db.prepare(
      "INSERT INTO collection_attempts (record_id, attempt, at, outcome, next_try_at, pay_link) VALUES (@record_id, @attempt, @at, @outcome, @next_try_at, @pay_link)",
    );
    this.#forRecord = db.prepare("SELECT * FROM collection_attempts WHERE record_id = ? ORDER BY attempt");
  }

  /** Call inside the transaction that settles the attempt. */
  add(attempt: CollectionAttempt): void {
    this.#add.run({
      record_id: attempt.recordId,
      attempt: attempt.attempt,
      at: attempt.at,
      outcome: attempt.outcome,
      next_try_at: attempt.nextTryAt,
      pay_link: attempt.payLink ?? null,
    });
  }

  forRecord(recordId: string): CollectionAttempt[] {
    return this.#forRecord.all(recordId).map((row) => ({
      recordId: row.record_id,
      attempt: row.attempt,
      at: row.at,
      outcome: row.outcome,
      nextTryAt: row.next_try_at,
      payLink: row.pay_link,
    }));
  }
}
