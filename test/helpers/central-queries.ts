import type pg from "pg";
import type { Sql } from "../../src/central/db/central-db.js";
import { fromCentralRow, RECORD_SELECT } from "../../src/central/record-rows.js";
import type { PaymentRecord } from "../../src/payments/payment-record.js";

export function sqlOf(pool: pg.Pool): Sql {
  return { query: async (text, params) => (await pool.query(text, params ? [...params] : undefined)).rows };
}

export interface CentralTotals {
  count: number;
  amount: number;
  revisions: number;
  /** Rows in the revision history: one per (record, revision) ever received. */
  history: number;
}

/** Totals over every record, or only those of `deviceIds`. */
export async function centralTotals(db: Sql, deviceIds?: readonly string[]): Promise<CentralTotals> {
  const only = deviceIds ? "WHERE device_id IN (SELECT jsonb_array_elements_text($1::jsonb))" : "";
  const [row] = await db.query<Record<string, unknown>>(
    `SELECT (SELECT count(*) FROM payment_records ${only}) AS count,
            (SELECT coalesce(sum(amount_minor), 0) FROM payment_records ${only}) AS amount,
            (SELECT coalesce(sum(revision), 0) FROM payment_records ${only}) AS revisions,
            (SELECT count(*) FROM payment_record_revisions ${only}) AS history`,
    deviceIds ? [JSON.stringify(deviceIds)] : [],
  );
  return {
    count: Number(row?.count),
    amount: Number(row?.amount),
    revisions: Number(row?.revisions),
    history: Number(row?.history),
  };
}

export async function centralRecordCount(db: Sql): Promise<number> {
  const [row] = await db.query<{ count: unknown }>("SELECT count(*) AS count FROM payment_records");
  return Number(row?.count);
}

export async function centralRecord(db: Sql, id: string): Promise<PaymentRecord | null> {
  const [row] = await db.query<Record<string, unknown>>(
    `SELECT ${RECORD_SELECT} FROM payment_records WHERE id = $1`,
    [id],
  );
  return row ? fromCentralRow(row) : null;
}

export async function deadLetters(
  db: Sql,
): Promise<{ code: string; reason: string; device_id: string | null; payload_bytes: number }[]> {
  return db.query("SELECT code, reason, device_id, payload_bytes FROM dead_letters ORDER BY id");
}

/** Resolves once central (maybe another process) has created its tables. */
export async function schemaReady(db: Sql): Promise<boolean> {
  const [row] = await db.query<{ table: unknown }>("SELECT to_regclass('payment_records') AS table");
  return row?.table !== null && row?.table !== undefined;
}
