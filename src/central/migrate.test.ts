import { describe, expect, it } from "vitest";
import { expectKioskErrorAsync } from "../../test/helpers/kiosk-error.js";
import { ErrorCodes } from "../core/error-codes.js";
import { createMemoryLogger } from "../core/logger.js";
import { openPglite } from "./db/pglite-db.js";
import { migrateCentral } from "./migrate.js";
import type { CentralMigration } from "./migrations/migration.js";

const step = (version: number): CentralMigration => ({
  version,
  name: `step-${version}`,
  sql: `CREATE TABLE step_${version} (id integer)`,
});

describe("migrateCentral", () => {
  it("applies every migration not yet recorded, by version, whatever order they were numbered in", async () => {
    const db = await openPglite("memory://");
    try {
      // A database migrated by a build that had 1 and 3 (3 was given out before 2 landed).
      await migrateCentral(db, createMemoryLogger(), [step(1), step(3)]);
      await migrateCentral(db, createMemoryLogger(), [step(1), step(2), step(3)]);
      const applied = await db.query<{ version: number }>(
        "SELECT version FROM central_schema ORDER BY version",
      );
      expect(applied.map((row) => row.version)).toEqual([1, 2, 3]);
      expect(await db.query("SELECT 1 FROM step_2")).toEqual([]);
      // Again: nothing left to do.
      expect(await migrateCentral(db, createMemoryLogger(), [step(1), step(2), step(3)])).toBe(3);
      // Software that does not know a recorded version is older than the database.
      await expectKioskErrorAsync(
        () => migrateCentral(db, createMemoryLogger(), [step(1), step(2)]),
        ErrorCodes.CENTRAL_SCHEMA_TOO_NEW,
      );
    } finally {
      await db.close();
    }
    // PGlite (PostgreSQL in WebAssembly) takes seconds to start on a loaded machine.
  }, 90_000);
});
