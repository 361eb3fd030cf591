import type { Clock } from "../../../core/clock.js";
import type { Sql } from "../../db/central-db.js";

/**
 * Where the counts live: per user name, or per client address (`name` is then the address's key).
 * One of these two constants, never text from a request.
 */
export type ThrottleTable = "dashboard_sign_in_attempts" | "dashboard_sign_in_addresses";

/** Whether a sign-in may check its password now; when not, how long until one may. */
export type SignInAttempt =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly lockedForMs: number };

/**
 * At most `maxFailures` passwords are checked for a name, then none for `lockoutMs`: a password
 * cannot be guessed at network speed. An attempt is *reserved* before its password is checked —
 * one atomic upsert in PostgreSQL — so sign-ins that arrive together, at one central process or at
 * several sharing the database, cannot all pass a check made before any of them failed. A right
 * password starts the count again; a quiet spell of `lockoutMs` forgets wrong ones.
 */
export class SignInThrottle {
  readonly #table: ThrottleTable;

  constructor(
    private readonly db: Sql,
    private readonly options: { maxFailures: number; lockoutMs: number; table?: ThrottleTable },
    private readonly clock: Clock,
  ) {
    this.#table = options.table ?? "dashboard_sign_in_attempts";
  }

  /** Counts an attempt for `name`, before its password is looked at. */
  async reserve(name: string): Promise<SignInAttempt> {
    const now = this.clock.now();
    // A fresh count restarts at 1; otherwise it grows (capped) and, past the limit, locks.
    const [row] = await this.db.query<{ attempts: number; locked_until: Date | string | null }>(
      `INSERT INTO ${this.#table} AS a (name, attempts, locked_until, last_attempt_at)
       VALUES ($1, 1, NULL, $2::timestamptz)
       ON CONFLICT (name) DO UPDATE SET
         attempts = CASE WHEN ${fresh("$2", "$4")} THEN 1 ELSE least(a.attempts + 1, $3::integer + 1) END,
         locked_until = CASE
           WHEN ${fresh("$2", "$4")} THEN NULL
           WHEN a.locked_until IS NULL AND a.attempts + 1 > $3::integer THEN ${lockEnds("$2", "$4")}
           ELSE a.locked_until END,
         last_attempt_at = $2::timestamptz
       RETURNING attempts, locked_until`,
      [name, now.toISOString(), this.options.maxFailures, this.options.lockoutMs],
    );
    if (row && row.attempts <= this.options.maxFailures) return { allowed: true };
    const until = row?.locked_until
      ? new Date(row.locked_until).getTime()
      : now.getTime() + this.options.lockoutMs;
    return { allowed: false, lockedForMs: Math.max(until - now.getTime(), 1000) };
  }

  /** The reserved attempt's password was wrong: at the limit, the lockout starts now. */
  async failed(name: string): Promise<void> {
    await this.db.query(
      `UPDATE ${this.#table} SET locked_until = ${lockEnds("$2", "$4")}
       WHERE name = $1 AND attempts >= $3::integer AND locked_until IS NULL`,
      [name, this.clock.now().toISOString(), this.options.maxFailures, this.options.lockoutMs],
    );
  }

  /** The password was right: the count starts again. */
  async succeeded(name: string): Promise<void> {
    await this.db.query(`DELETE FROM ${this.#table} WHERE name = $1`, [name]);
  }

  /**
   * The reserved attempt checked no password, or the right one: it is given back without forgetting
   * the others (an address's count must not restart because one of its sign-ins was right).
   */
  async release(name: string): Promise<void> {
    // One statement, one snapshot: the last attempt deletes the row, any other lowers the count.
    await this.db.query(
      `WITH gone AS (DELETE FROM ${this.#table} WHERE name = $1 AND locked_until IS NULL AND attempts = 1 RETURNING name)
       UPDATE ${this.#table} SET attempts = attempts - 1 WHERE name = $1 AND locked_until IS NULL AND attempts > 1`,
      [name],
    );
  }

  /** Forgets names whose lock has passed or that were quiet for a lockout (run hourly). */
  async prune(): Promise<number> {
    const rows = await this.db.query(
      `DELETE FROM ${this.#table} AS a WHERE ${fresh("$1", "$2")} RETURNING name`,
      [this.clock.now().toISOString(), this.options.lockoutMs],
    );
    return rows.length;
  }
}

/** When the lock that starts at `now` ends (`lockoutMs` a parameter in milliseconds). */
const lockEnds = (now: string, lockoutMs: string): string =>
  `(${now}::timestamptz + ${lockoutMs}::double precision * interval '1 millisecond')`;

/** Whether row `a`'s count is over: its lock has passed, or nothing was tried for a whole lockout. */
const fresh = (now: string, lockoutMs: string): string =>
  `((a.locked_until IS NOT NULL AND a.locked_until <= ${now}::timestamptz)
    OR (a.locked_until IS NULL AND a.last_attempt_at <= ${now}::timestamptz - ${lockoutMs}::double precision * interval '1 millisecond'))`;
