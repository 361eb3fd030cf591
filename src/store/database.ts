import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import BetterSqlite3, { type Database } from "better-sqlite3";
import { ErrorCodes } from "../core/error-codes.js";
import { KioskError } from "../core/kiosk-error.js";
import { storeError } from "./sqlite-errors.js";

export type { Database };

export interface OpenOptions {
  readonly?: boolean;
  /** How long a writer waits for another process's lock (the sync agent may run alone). */
  busyTimeoutMs?: number;
}

/**
 * WAL pages a commit may leave before it also copies the WAL back into the database (SQLite's
 * default is 1000). A payment writes about 9 pages (record, its indexes, outbox, audit, audit head),
 * so at 1000 every ~110th payment paid for a checkpoint of several milliseconds; at 4000 (a WAL of
 * up to 16 MiB) it is every ~450th, and pages written again and again (audit head, the last leaf
 * of each table) are copied back once per checkpoint instead of four times.
 */
export const WAL_AUTOCHECKPOINT_PAGES = 4000;

/**
 * WAL with synchronous=FULL: a commit has reached the disk (fsync) when it returns, which is what
 * lets the screen say "paid". Foreign keys on; a busy timeout so the kiosk and a standalone sync
 * agent can share the file.
 */
export function applyDurablePragmas(db: Database, busyTimeoutMs = 5000): void {
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  if (!db.readonly) db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.pragma("foreign_keys = ON");
  db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
}

export function openDatabase(path: string, options: OpenOptions = {}): Database {
  if (path !== ":memory:" && !options.readonly) mkdirSync(dirname(path), { recursive: true });
  let db: Database | undefined;
  try {
    db = new BetterSqlite3(path, {
      readonly: options.readonly ?? false,
      fileMustExist: options.readonly ?? false,
    });
    applyDurablePragmas(db, options.busyTimeoutMs);
    return db;
  } catch (error) {
    db?.close();
    throw storeError(error, "opening the database");
  }
}

/**
 * PRAGMA quick_check: a damaged database must put the kiosk out of service rather than take
 * payments it might not keep.
 */
export function quickCheck(db: Database): void {
  let problems: string[];
  try {
    problems = (db.pragma("quick_check") as { quick_check: string }[]).map((row) => row.quick_check);
  } catch (error) {
    throw storeError(error, "checking the database");
  }
  if (problems.length !== 1 || problems[0] !== "ok") {
    throw new KioskError(
      ErrorCodes.STORE_DAMAGED,
      `The kiosk's database is damaged (${problems.slice(0, 3).join("; ")}). The kiosk is out of service: restore it from backup or call support.`,
      { problems: problems.length },
    );
  }
}
