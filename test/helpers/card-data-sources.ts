import Database from "better-sqlite3";
import type pg from "pg";
import type { Scanned } from "./card-data-scan.js";
import type { CaptureProxy } from "./tcp-capture.js";

/** A row's values as bytes: BLOBs as they are stored, everything else as its text. */
function rowBytes(row: Record<string, unknown>): Buffer {
  return Buffer.concat(
    Object.values(row).flatMap((value) => [
      Buffer.isBuffer(value) ? value : Buffer.from(String(value)),
      Buffer.from("\t"),
    ]),
  );
}

/**
 * Checkpoints a (closed) SQLite database into its main file, then reads every row of every table
 * through SQL: one piece per table.
 */
export function checkpointAndReadSqlite(path: string): Scanned[] {
  const sqlite = new Database(path);
  try {
    sqlite.pragma("wal_checkpoint(TRUNCATE)");
    const tables = sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as {
      name: string;
    }[];
    return tables.map(({ name }) => ({
      source: `sqlite table ${name}`,
      bytes: Buffer.concat(
        (sqlite.prepare(`SELECT * FROM "${name}"`).all() as Record<string, unknown>[]).map(rowBytes),
      ),
    }));
  } finally {
    sqlite.close();
  }
}

/** Every row of every table in central's PostgreSQL database, as PostgreSQL writes the row as text. */
export async function readCentralRows(pool: pg.Pool): Promise<Scanned[]> {
  const tables = await pool.query<{ name: string }>(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
  );
  const pieces: Scanned[] = [];
  for (const { name } of tables.rows) {
    const rows = await pool.query<{ row: string }>(`SELECT t::text AS row FROM "${name}" t`);
    pieces.push({
      source: `central table ${name}`,
      bytes: Buffer.from(rows.rows.map((each) => each.row).join("\n")),
    });
  }
  return pieces;
}

/** Each direction of each connection a capture proxy saw. */
export function captureStreams(name: string, proxy: CaptureProxy): Scanned[] {
  return proxy.connections.flatMap((connection) => [
    { source: `${name} #${connection.id} out`, bytes: proxy.stream(connection, "to-target") },
    { source: `${name} #${connection.id} in`, bytes: proxy.stream(connection, "to-client") },
  ]);
}
