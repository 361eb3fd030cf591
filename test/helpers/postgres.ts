import { randomBytes } from "node:crypto";
import pg from "pg";

/** The machine's PostgreSQL (trust auth); tests only create and drop their own databases in it. */
const ADMIN_URL = process.env.SPECTRA_TEST_PG_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/test";

export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  /** A pool for the test's own queries (closed by drop). */
  readonly pool: pg.Pool;
  drop(): Promise<void>;
}

/** A fresh database for one test file, dropped (with any connection left to it) by `drop`. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `spectra_sync_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pool.on("error", () => {});
  return {
    name,
    url,
    pool,
    drop: async () => {
      await pool.end();
      const client = new pg.Client({ connectionString: ADMIN_URL });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
