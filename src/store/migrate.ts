import type { Database } from "better-sqlite3";
import { ErrorCodes } from "../core/error-codes.js";
import { KioskError } from "../core/kiosk-error.js";
import type { Logger } from "../core/logger.js";
import { MIGRATIONS } from "./migrations/index.js";
import type { Migration } from "./migrations/migration.js";
import { storeError } from "./sqlite-errors.js";

export function schemaVersion(db: Database): number {
  return db.pragma("user_version", { simple: true }) as number;
}

/**
 * Brings the schema up to `target` (the latest by default), one migration per transaction, with
 * user_version moving in the same transaction: a crash leaves the database at a whole version.
 */
export function migrate(
  db: Database,
  logger: Logger,
  migrations: readonly Migration[] = MIGRATIONS,
  target = migrations.length,
): number {
  const current = schemaVersion(db);
  if (current > migrations.length) {
    throw new KioskError(
      ErrorCodes.STORE_SCHEMA_TOO_NEW,
      `The database is at schema ${current}, newer than this kiosk software (${migrations.length}): update the software.`,
      { current, latest: migrations.length },
    );
  }
  for (const migration of migrations.slice(current, target)) {
    try {
      db.transaction(() => {
        migration.up(db);
        db.pragma(`user_version = ${migration.version}`);
      }).immediate();
    } catch (error) {
      const coded = storeError(error, `migration ${migration.version}`);
      if (coded instanceof KioskError) throw coded;
      throw new KioskError(
        ErrorCodes.STORE_MIGRATION_FAILED,
        `Migration ${migration.version} (${migration.name}) failed: ${(error as Error).message}`,
        { version: migration.version },
        { cause: error },
      );
    }
    logger.info(`schema migrated to ${migration.version} (${migration.name})`);
  }
  return schemaVersion(db);
}
