import type { Database, Statement } from "better-sqlite3";
import type { Clock } from "../core/clock.js";

/** open: the form is in use · charging: a payment's intent is charged to it · then deleted or kept. */
export type KeyedEntryState = "open" | "charging" | "to-delete" | "deleted" | "kept";

/**
 * A keyed entry on a processor's hosted form and what becomes of the card it stored there: a card
 * the client did not agree to keep is deleted at the processor once its payment's outcome is known.
 */
export interface KeyedEntry {
  /** The processor's id of the entry (Authorize.Net: the customer profile the form stored the card in). */
  readonly sessionId: string;
  readonly openedAt: string;
  readonly state: KeyedEntryState;
  /** The payment's intent charged to the entry's card, once staff charge it. */
  readonly intentKey: string | null;
  /** The client agreed to keep the card: it is kept if the payment is approved. */
  readonly consent: boolean;
  /** Deletions tried and failed. */
  readonly attempts: number;
  readonly nextTryAt: string | null;
  /** The code of the last failed deletion. */
  readonly lastOutcome: string | null;
}

interface KeyedEntryRow {
  session_id: string;
  opened_at: string;
  state: KeyedEntryState;
  intent_key: string | null;
  consent: number;
  attempts: number;
  next_try_at: string | null;
  last_outcome: string | null;
}

const fromRow = (row: KeyedEntryRow): KeyedEntry => ({
  sessionId: row.session_id,
  openedAt: row.opened_at,
  state: row.state,
  intentKey: row.intent_key,
  consent: row.consent === 1,
  attempts: row.attempts,
  nextTryAt: row.next_try_at,
  lastOutcome: row.last_outcome,
});

/**
 * The kiosk's list of keyed entries (table `keyed_entries`), so a card stored at the processor
 * without consent is deleted even across a crash or a processor outage. Times come from the clock.
 */
export class KeyedEntryBook {
  readonly #opened: Statement<{ session_id: string; at: string }>;
  readonly #charging: Statement<{ session_id: string; at: string; intent_key: string; consent: number }>;
  readonly #toDelete: Statement<{ session_id: string; at: string }>;
  readonly #abandoned: Statement<{ session_id: string; at: string }>;
  readonly #finish: Statement<{ session_id: string; at: string; state: "deleted" | "kept" }>;
  readonly #failed: Statement<{ session_id: string; outcome: string; next_try_at: string }>;
  readonly #abandonOpen: Statement<{ at: string }>;
  readonly #unfinished: Statement<[], KeyedEntryRow>;
  readonly #get: Statement<[string], KeyedEntryRow>;
  readonly #byIntent: Statement<[string], KeyedEntryRow>;

  constructor(
    db: Database,
    private readonly clock: Clock,
  ) {
    this.#opened = db.prepare(
      `INSERT INTO keyed_entries (session_id, opened_at, state) VALUES (@session_id, @at, 'open')
       ON CONFLICT(session_id) DO NOTHING`,
    );
    // A card already deleted (or kept) stays so; one charged again takes the newer payment's intent.
    this.#charging = db.prepare(
      `INSERT INTO keyed_entries (session_id, opened_at, state, intent_key, consent)
       VALUES (@session_id, @at, 'charging', @intent_key, @consent)
       ON CONFLICT(session_id) DO UPDATE SET state = 'charging', intent_key = excluded.intent_key,
         consent = excluded.consent
       WHERE keyed_entries.state IN ('open', 'charging', 'to-delete')`,
    );
    this.#toDelete = db.prepare(
      `INSERT INTO keyed_entries (session_id, opened_at, state, next_try_at) VALUES (@session_id, @at, 'to-delete', @at)
       ON CONFLICT(session_id) DO UPDATE SET state = 'to-delete',
         next_try_at = coalesce(keyed_entries.next_try_at, excluded.next_try_at)
       WHERE keyed_entries.state IN ('open', 'charging')`,
    );
    this.#abandoned = db.prepare(
      `INSERT INTO keyed_entries (session_id, opened_at, state, next_try_at) VALUES (@session_id, @at, 'to-delete', @at)
       ON CONFLICT(session_id) DO UPDATE SET state = 'to-delete', next_try_at = excluded.next_try_at
       WHERE keyed_entries.state = 'open'`,
    );
    this.#finish = db.prepare(
      `UPDATE keyed_entries SET state = @state, finished_at = @at, next_try_at = NULL
       WHERE session_id = @session_id AND state IN ('open', 'charging', 'to-delete')`,
    );
    this.#failed = db.prepare(
      `UPDATE keyed_entries SET attempts = attempts + 1, last_outcome = @outcome, next_try_at = @next_try_at
       WHERE session_id = @session_id AND state = 'to-delete'`,
    );
    this.#abandonOpen = db.prepare(
      "UPDATE keyed_entries SET state = 'to-delete', next_try_at = @at WHERE state = 'open'",
    );
    this.#unfinished = db.prepare(
      "SELECT * FROM keyed_entries WHERE state IN ('open', 'charging', 'to-delete') ORDER BY opened_at",
    );
    this.#get = db.prepare("SELECT * FROM keyed_entries WHERE session_id = ?");
    this.#byIntent = db.prepare("SELECT * FROM keyed_entries WHERE intent_key = ?");
  }

  #now(): string {
    return this.clock.now().toISOString();
  }

  /** The hosted form was opened: its card is deleted unless a payment with consent keeps it. */
  opened(sessionId: string): void {
    this.#opened.run({ session_id: sessionId, at: this.#now() });
  }

  /** A payment's intent is about to charge the entry's card (written before the processor is called). */
  charging(sessionId: string, intentKey: string, consent: boolean): void {
    this.#charging.run({
      session_id: sessionId,
      at: this.#now(),
      intent_key: intentKey,
      consent: consent ? 1 : 0,
    });
  }

  /** The payment is over and the card is not to be kept (or nothing will charge it): delete it. */
  toDelete(sessionId: string): void {
    this.#toDelete.run({ session_id: sessionId, at: this.#now() });
  }

  /**
   * The form was cancelled, closed or replaced before any payment: delete its card. An entry a
   * payment is charging is left to that payment's outcome.
   */
  abandoned(sessionId: string): void {
    this.#abandoned.run({ session_id: sessionId, at: this.#now() });
  }

  /** The processor confirmed the card is gone (or never was). */
  deleted(sessionId: string): void {
    this.#finish.run({ session_id: sessionId, at: this.#now(), state: "deleted" });
  }

  /** The payment was approved with the client's consent: the card is their saved card. */
  kept(sessionId: string): void {
    this.#finish.run({ session_id: sessionId, at: this.#now(), state: "kept" });
  }

  /** A deletion failed: tried again after `retryInMs`. */
  failed(sessionId: string, outcome: string, retryInMs: number): void {
    this.#failed.run({
      session_id: sessionId,
      outcome,
      next_try_at: new Date(this.clock.now().getTime() + retryInMs).toISOString(),
    });
  }

  /** At start: a form a previous run left open is no one's any more. Returns how many. */
  abandonOpen(): number {
    return this.#abandonOpen.run({ at: this.#now() }).changes;
  }

  /** Entries whose card is neither deleted nor kept yet, oldest first. */
  unfinished(): KeyedEntry[] {
    return this.#unfinished.all().map(fromRow);
  }

  get(sessionId: string): KeyedEntry | null {
    const row = this.#get.get(sessionId);
    return row ? fromRow(row) : null;
  }

  /** The keyed entry a payment's intent charged, if it charged one. */
  forIntent(intentKey: string): KeyedEntry | null {
    const row = this.#byIntent.get(intentKey);
    return row ? fromRow(row) : null;
  }
}
