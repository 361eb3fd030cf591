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
 * WAL with synchronous=FULL: a commit has reached the disk (fsync) when it returns, which is what
 * lets the screen say "paid". Foreign keys on; a busy timeout so the kiosk and a standalone sync
 * agent can share the file. wal_autocheckpoint stays at SQLite's 1000 pages: a higher threshold
 * makes a payment pay for a checkpoint less often (every ~100th payment at 1000), but the WAL file
 * then grows for longer, and while it grows each commit's fsync also writes the file's new size.
 * A 1 MiB page cache instead of SQLite's 2 MiB: a payment touches a few dozen pages (its invoice, its
 * records, the tails of the outbox and audit log), the kernel's page cache keeps the rest of the
 * file warm, and the default cache filled within ~1,000 payments, ~1.5 MB of the kiosk's memory.
 */
function applyKioskPragmas(db: Database, busyTimeoutMs = 5000): void {
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  if (!db.readonly) db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.pragma("foreign_keys = ON");
  db.pragma("cache_size = -1024");
}

export function openDatabase(path: string, options: OpenOptions = {}): Database {
  if (path !== ":memory:" && !options.readonly) mkdirSync(dirname(path), { recursive: true });
  let db: Database | undefined;
  try {
    db = new BetterSqlite3(path, {
      readonly: options.readonly ?? false,
      fileMustExist: options.readonly ?? false,
    });
    applyKioskPragmas(db, options.busyTimeoutMs);
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
