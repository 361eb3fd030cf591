import { int, type Sql } from "../db/central-db.js";

/** A future card payment that has fallen due, with the client's newest usable Stripe card. */
export interface DueCollection {
  readonly recordId: string;
  readonly deviceId: string;
  readonly clientId: string;
  readonly invoiceNumber: string;
  readonly amountMinor: number;
  readonly currency: string;
  /** The saved card's token (a Stripe PaymentMethod); null when the client has none usable. */
  readonly token: string | null;
}

/** One try central made, as its table keeps it. */
export interface CollectionTry {
  readonly attempt: number;
  readonly outcome: "unknown" | "charged" | "declined" | "authentication-required";
  readonly nextTryAt: Date | null;
}

/**
 * Future card payments due by `today` ("YYYY-MM-DD", the studio's date) that central holds as
 * scheduled, each with the client's newest saved Stripe card not removed and not expired by then.
 */
export async function dueCollections(db: Sql, today: string): Promise<DueCollection[]> {
  const [year, month] = today.split("-").map(Number) as [number, number];
  const rows = await db.query<{
    id: string;
    device_id: string;
    client_id: string;
    invoice_number: string;
    amount_minor: string | number;
    currency: string;
    token: string | null;
  }>(
    `SELECT r.id, r.device_id, r.client_id, r.invoice_number, r.amount_minor, r.currency,
            (SELECT s.token FROM saved_cards s
              WHERE s.client_id = r.client_id AND s.removed_at IS NULL AND s.token LIKE 'pm\\_%'
                AND (s.exp_year IS NULL OR s.exp_year * 12 + s.exp_month >= $2)
              ORDER BY s.created_at DESC LIMIT 1) AS token
       FROM payment_records r
      WHERE r.kind = 'payment' AND r.status = 'scheduled' AND r.method_type = 'card'
        AND r.future_payment AND r.due_date <= $1::date
      ORDER BY r.due_date, r.id`,
    [today, year * 12 + month],
  );
  return rows.map((row) => ({
    recordId: row.id,
    deviceId: row.device_id,
    clientId: row.client_id,
    invoiceNumber: row.invoice_number,
    amountMinor: int(row.amount_minor),
    currency: row.currency,
    token: row.token,
  }));
}

export async function triesFor(db: Sql, recordId: string): Promise<CollectionTry[]> {
  const rows = await db.query<{
    attempt: number;
    outcome: CollectionTry["outcome"];
    next_try_at: Date | null;
  }>(
    "SELECT attempt, outcome, next_try_at FROM off_session_collections WHERE record_id = $1 ORDER BY attempt",
    [recordId],
  );
  return rows.map((row) => ({
    attempt: row.attempt,
    outcome: row.outcome,
    nextTryAt: row.next_try_at ? new Date(row.next_try_at) : null,
  }));
}
