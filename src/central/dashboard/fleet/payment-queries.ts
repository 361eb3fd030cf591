import type { Sql } from "../../db/central-db.js";
import { filterSql, type PaymentFilter } from "./payment-filter.js";
import type { PaymentRow } from "./payments-csv.js";

/** What PaymentRow holds: amounts as text (exact), dates as text (no time zone can shift them). */
export const PAYMENT_COLUMNS = `id, revision, kind, status, device_id, invoice_id, invoice_number, client_id,
  payment_date::text AS payment_date, amount_minor::text AS amount_minor, currency, method_id, method_name,
  method_type, method, future_payment, due_date::text AS due_date, refund_of, staff_id, note,
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_at,
  to_char(voided_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS voided_at,
  (SELECT c.first_name || ' ' || c.last_name FROM clients c WHERE c.id = payment_records.client_id) AS client_name,
  (SELECT d.studio_time_zone FROM devices d WHERE d.device_id = payment_records.device_id) AS time_zone`;

/** The newest records that pass the filter, at most `limit`. */
export async function findPayments(db: Sql, filter: PaymentFilter, limit: number): Promise<PaymentRow[]> {
  const { where, params } = filterSql(filter);
  return db.query<PaymentRow>(
    `SELECT ${PAYMENT_COLUMNS} FROM payment_records ${where}
     ORDER BY created_at DESC, id DESC LIMIT $${params.length + 1}`,
    [...params, limit],
  );
}

export interface PaymentTotal {
  readonly kind: string;
  readonly currency: string;
  readonly count: number;
  /** Sum of completed records' amounts, minor units as text (exact). */
  readonly completedMinor: string;
}

/** Counts per kind and currency, and what completed records add up to. */
export async function paymentTotals(db: Sql, filter: PaymentFilter): Promise<PaymentTotal[]> {
  const { where, params } = filterSql(filter);
  const rows = await db.query<{ kind: string; currency: string; count: unknown; completed: unknown }>(
    `SELECT kind, currency, count(*) AS count,
            coalesce(sum(amount_minor) FILTER (WHERE status = 'completed'), 0)::text AS completed
     FROM payment_records ${where} GROUP BY kind, currency ORDER BY currency, kind`,
    params,
  );
  return rows.map((row) => ({
    kind: row.kind,
    currency: row.currency,
    count: Number(row.count),
    completedMinor: String(row.completed),
  }));
}

/**
 * Every record that passes the filter, oldest first, `pageSize` at a time (keyset pages on
 * (created_at, id)): an export of a year of the fleet never holds it all in memory.
 */
export async function* allPayments(
  db: Sql,
  filter: PaymentFilter,
  pageSize = 2000,
): AsyncGenerator<PaymentRow[]> {
  const { where, params } = filterSql(filter);
  let after: { createdAt: string; id: string } | null = null;
  for (;;) {
    const keyset: string = after
      ? `${where ? `${where} AND` : "WHERE"} (created_at, id) > ($${params.length + 1}::timestamptz, $${params.length + 2})`
      : where;
    const rows: PaymentRow[] = await db.query<PaymentRow>(
      `SELECT ${PAYMENT_COLUMNS} FROM payment_records ${keyset}
       ORDER BY created_at, id LIMIT ${Math.max(1, Math.floor(pageSize))}`,
      after ? [...params, after.createdAt, after.id] : params,
    );
    if (rows.length > 0) yield rows;
    const last = rows[rows.length - 1];
    if (!last || rows.length < pageSize) return;
    after = { createdAt: last.created_at, id: last.id };
  }
}

/** The kiosks that have records, for the filter's choice list. */
export async function kioskIds(db: Sql): Promise<string[]> {
  return (await db.query<{ device_id: string }>("SELECT device_id FROM devices ORDER BY device_id")).map(
    (row) => row.device_id,
  );
}
