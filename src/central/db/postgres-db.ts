import pg from "pg";
import { ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";
import type { Logger } from "../../core/logger.js";
import type { CentralDb, Sql } from "./central-db.js";

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:***@");
}

export async function openPostgres(options: {
  url: string;
  poolSize: number;
  logger: Logger;
}): Promise<CentralDb> {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize,
    connectionTimeoutMillis: 10_000,
  });
  // An idle client that loses its server emits here; without a listener it would crash the process.
  pool.on("error", (error) => options.logger.warn(`PostgreSQL connection lost: ${error.message}`));
  try {
    await pool.query("SELECT 1");
  } catch (error) {
    await pool.end().catch(() => {});
    throw new KioskError(
      ErrorCodes.CENTRAL_DB_UNAVAILABLE,
      `Cannot reach PostgreSQL at ${redactUrl(options.url)}: ${(error as Error).message}. Check central.database.url and that the server runs.`,
      {},
      { cause: error },
    );
  }
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
        await client.query("ROLLBACK").catch(() => {});
        // A client whose connection broke must not go back to the pool.
        client.release(error instanceof Error ? error : true);
        throw error;
      }
    },
    close: () => pool.end(),
  };
}
