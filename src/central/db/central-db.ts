/** Runs one statement with `$1`-style parameters and returns its rows. */
export interface Sql {
  query<Row extends object = Record<string, unknown>>(
    text: string,
    params?: readonly unknown[],
  ): Promise<Row[]>;
}

/**
 * Central's database: PostgreSQL through node-postgres, or PGlite (PostgreSQL in WebAssembly) for
 * the laptop setup. The same SQL runs on both; only opening and transactions differ.
 */
export interface CentralDb extends Sql {
  readonly kind: "postgres" | "pglite";
  /** Runs a script of several statements (migrations). */
  exec(script: string): Promise<void>;
  /** Runs `work` in one transaction: committed if it resolves, rolled back if it throws. */
  transaction<T>(work: (tx: Sql & { exec(script: string): Promise<void> }) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** node-postgres returns bigint columns as strings, PGlite as numbers: callers read them through this. */
export function int(value: unknown): number {
  const number = typeof value === "bigint" ? Number(value) : Number(value);
  if (!Number.isSafeInteger(number)) throw new Error(`not a safe integer: ${String(value)}`);
  return number;
}
