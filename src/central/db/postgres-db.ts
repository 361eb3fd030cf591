import pg from "pg";
import { ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";
import type { Logger } from "../../core/logger.js";
import type { CentralDb, Sql } from "./central-db.js";

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:***@");
}

export interface PostgresOptions {
  readonly url: string;
  readonly poolSize: number;
  readonly logger: Logger;
}

/** Central on PostgreSQL, checked at once: a command that needs the database fails fast without it. */
export async function openPostgres(options: PostgresOptions): Promise<CentralDb> {
  const db = postgresPool(options);
  try {
    await db.query("SELECT 1");
  } catch (error) {
    await db.close().catch(() => {});
    throw unreachable(options.url, error);
  }
  return db;
}

/** The coded error for a PostgreSQL that did not answer, its cause kept (its SQLSTATE says why). */
export function unreachable(url: string, error: unknown): KioskError {
  return new KioskError(
    ErrorCodes.CENTRAL_DB_UNAVAILABLE,
    `Cannot reach PostgreSQL at ${redactUrl(url)}: ${(error as Error).message}. Check central.database.url and that the server runs.`,
    {},
    { cause: error },
  );
}

/**
 * Central on PostgreSQL without connecting yet: connections are made when queries need them, so a
 * server that is down now is no error until something is asked of it (central waits for it).
 */
export function postgresPool(options: PostgresOptions): CentralDb {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize,
    connectionTimeoutMillis: 10_000,
  });
  // An idle client that loses its server emits here; without a listener it would crash the process.
  pool.on("error", (error) => options.logger.warn(`PostgreSQL connection lost: ${error.message}`));
  const run =
    (target: pg.Pool | pg.PoolClient) =>
    async <Row extends object>(text: string, params?: readonly unknown[]): Promise<Row[]> =>
      (await target.query(text, params ? [...params] : undefined)).rows as Row[];
  return {
    kind: "postgres",
    query: run(pool),
    exec: async (script) => {
      await pool.query(script);
    },
    transaction: async (work) => {
      const client = await pool.connect();
      const tx: Sql & { exec(script: string): Promise<void> } = {
        query: run(client),
        exec: async (script) => {
          await client.query(script);
        },
      };
      try {
        await client.query("BEGIN");
        const result = await work(tx);
        await client.query("COMMIT");
        client.release();
        return result;
      } catch (error) {
        // A connection that rolled back is sound (a refused statement leaves it so); one that could
        // not roll back is broken and must not go back to the pool.
        const sound = await client.query("ROLLBACK").then(
          () => true,
          () => false,
        );
        client.release(sound ? undefined : error instanceof Error ? error : true);
        throw error;
      }
    },
    close: () => pool.end(),
  };
}
