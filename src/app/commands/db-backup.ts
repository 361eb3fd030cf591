import { existsSync } from "node:fs";
import { ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";
import { openDatabase, quickCheck } from "../../store/database.js";
import type { Output } from "../output.js";

/**
 * `db backup FILE`: a consistent copy of the live database (SQLite's online backup, safe while the
 * kiosk runs), checked with quick_check before it is reported good.
 */
export async function dbBackup(path: string, target: string, output: Output): Promise<number> {
  if (existsSync(target)) {
    throw new KioskError(ErrorCodes.CLI_USAGE, `${target} already exists: choose a new file name.`);
  }
  const db = openDatabase(path, { readonly: true });
  try {
    await db.backup(target);
  } finally {
    db.close();
  }
  const copy = openDatabase(target, { readonly: true });
  try {
    quickCheck(copy);
  } finally {
    copy.close();
  }
  output.out(`${path} backed up to ${target} (checked)`);
  return 0;
}
