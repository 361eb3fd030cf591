import type { Database } from "better-sqlite3";
import { guarded } from "./sqlite-errors.js";

/**
 * Runs `work` in one IMMEDIATE transaction (the write lock is taken before anything is read, so two
 * writers cannot both act on what they read), with SQLite's failures as coded errors naming what
 * was `doing`. Called inside another transaction, it nests in it as a savepoint.
 */
export type Transact = <T>(doing: string, work: () => T) => T;

/** The store's transactions, for the services that write across its tables (ledger, shift desk). */
export function immediateTransactions(db: Database): Transact {
  // One prepared wrapper, made once: a payment pays for BEGIN and COMMIT, not for building them.
  const transaction = db.transaction((work: () => unknown) => work());
  return <T>(doing: string, work: () => T): T => guarded(doing, () => transaction.immediate(work) as T);
}
