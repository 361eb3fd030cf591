import { ErrorCodes } from "../core/error-codes.js";
import { KioskError } from "../core/kiosk-error.js";
import type { Logger } from "../core/logger.js";
import type { CentralDb } from "./db/central-db.js";
import { CENTRAL_MIGRATIONS } from "./migrations/index.js";
import type { CentralMigration } from "./migrations/migration.js";

/** Any constant will do; it only has to be the same for every process migrating this database. */
const MIGRATION_LOCK = 7_420_001;

/**
 * Brings central's schema up to date in one transaction, under an advisory lock so workers starting
 * together do not race: the first migrates, the others find it done.
 */
export async function migrateCentral(
  db: CentralDb,
  logger: Logger,
  migrations: readonly CentralMigration[] = CENTRAL_MIGRATIONS,
): Promise<number> {
  try {
    return await db.transaction(async (tx) => {
      await tx.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
      // Created only when missing: CREATE ... IF NOT EXISTS still needs CREATE on the schema, which a
      // least-privilege central role (reading and writing tables it does not own) lacks.
      const [table] = await tx.query<{ name: string | null }>(
        "SELECT to_regclass('central_schema')::text AS name",
      );
      if (!table?.name)
        await tx.exec(
          "CREATE TABLE central_schema (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())",
        );
      // By version, not by count: branches add migrations under numbers agreed in advance, so one
      // may arrive after a later number was applied; it still runs, and only a version this
      // software does not know means the database is newer than it.
      const applied = new Set(
        (await tx.query<{ version: number }>("SELECT version FROM central_schema")).map((row) =>
          Number(row.version),
        ),
      );
      const known = new Set(migrations.map((migration) => migration.version));
      const unknown = [...applied].filter((version) => !known.has(version));
      if (unknown.length > 0) {
        const current = Math.max(...applied);
        throw new KioskError(
          ErrorCodes.CENTRAL_SCHEMA_TOO_NEW,
          `Central's database has schema ${unknown.sort((a, b) => a - b).join(", ")}, which this software (schema up to ${Math.max(...known)}) does not know: it is newer, update the software.`,
          { current, latest: Math.max(...known) },
        );
      }
      for (const migration of migrations.filter((candidate) => !applied.has(candidate.version))) {
        await tx.exec(migration.sql);
        await tx.query("INSERT INTO central_schema (version, name) VALUES ($1, $2)", [
          migration.version,
          migration.name,
        ]);
        logger.info(`central schema migrated to ${migration.version} (${migration.name})`);
      }
      return migrations.length;
    });
  } catch (error) {
    if (error instanceof KioskError) throw error;
    throw new KioskError(
      ErrorCodes.CENTRAL_MIGRATION_FAILED,
      `Migrating central's database failed: ${(error as Error).message}`,
      {},
      { cause: error },
    );
  }
}
