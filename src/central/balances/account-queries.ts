import { type CentralDb, int, type Sql } from "../db/central-db.js";

/** An invoice's account at central: its total, and every completed payment and refund on it, by source. */
export interface CentralAccount {
  readonly invoiceId: string;
  /** The account's change number: the newest change that moved it. */
  readonly seq: number;
  readonly changedAt: string;
  readonly totalMinor: number;
  readonly currency: string;
  /** Completed kiosk records, per kiosk. */
  readonly byDevice: ReadonlyMap<string, { readonly paidMinor: number; readonly refundedMinor: number }>;
  /** Payments and refunds from Spectra (the import, the integration API). */
  readonly spectra: { readonly paidMinor: number; readonly refundedMinor: number };
}

/** What an account is for one kiosk: everything counted except that kiosk's own records. */
export function elsewhereFor(
  account: CentralAccount,
  deviceId: string,
): { paidMinor: number; refundedMinor: number } {
  let paidMinor = account.spectra.paidMinor;
  let refundedMinor = account.spectra.refundedMinor;
  for (const [device, sums] of account.byDevice) {
    if (device === deviceId) continue;
    paidMinor += sums.paidMinor;
    refundedMinor += sums.refundedMinor;
  }
  return { paidMinor, refundedMinor };
}

/** Totals of an account, every source together: what central says the invoice stands at. */
export function accountTotals(account: CentralAccount): {
  paidMinor: number;
  refundedMinor: number;
  balanceMinor: number;
  creditMinor: number;
} {
  const { paidMinor, refundedMinor } = elsewhereFor(account, "");
  const owed = account.totalMinor - paidMinor + refundedMinor;
  return { paidMinor, refundedMinor, balanceMinor: Math.max(owed, 0), creditMinor: Math.max(-owed, 0) };
}

interface ChangeRow {
  invoice_id: string;
  seq: unknown;
  changed_at: Date | string;
  total_minor: unknown;
  currency: string;
}

interface SumRow {
  invoice_id: string;
  source: string;
  kind: "payment" | "refund";
  amount: unknown;
}

const instant = (value: Date | string): string => new Date(value).toISOString();

/**
 * The accounts of the invoices whose change rows are given: sums of completed kiosk records (in the
 * invoice's currency) by kiosk, and Spectra's payments.
 */
async function accountsOf(db: Sql, changes: readonly ChangeRow[]): Promise<CentralAccount[]> {
  if (changes.length === 0) return [];
  const ids = changes.map((change) => change.invoice_id);
  const sums = await db.query<SumRow>(
    `SELECT r.invoice_id, 'kiosk:' || r.device_id AS source, r.kind, sum(r.amount_minor) AS amount
       FROM payment_records r JOIN invoices i ON i.id = r.invoice_id
      WHERE r.invoice_id = ANY($1::text[]) AND r.status = 'completed' AND r.currency = i.currency
      GROUP BY r.invoice_id, r.device_id, r.kind
     UNION ALL
     SELECT p.invoice_id, 'spectra' AS source, p.kind, sum(p.amount_minor) AS amount
       FROM invoice_payments p JOIN invoices i ON i.id = p.invoice_id
      WHERE p.invoice_id = ANY($1::text[]) AND p.currency = i.currency
      GROUP BY p.invoice_id, p.kind`,
    [ids],
  );
  return changes.map((change) => {
    const byDevice = new Map<string, { paidMinor: number; refundedMinor: number }>();
    const spectra = { paidMinor: 0, refundedMinor: 0 };
    for (const row of sums) {
      if (row.invoice_id !== change.invoice_id) continue;
      const amount = int(row.amount);
      const into =
        row.source === "spectra"
          ? spectra
          : (byDevice.get(row.source.slice(6)) ??
            byDevice.set(row.source.slice(6), { paidMinor: 0, refundedMinor: 0 }).get(row.source.slice(6)));
      if (!into) continue;
      if (row.kind === "payment") into.paidMinor += amount;
      else into.refundedMinor += amount;
    }
    return {
      invoiceId: change.invoice_id,
      seq: int(change.seq),
      changedAt: instant(change.changed_at),
      totalMinor: int(change.total_minor),
      currency: change.currency,
      byDevice,
      spectra,
    };
  });
}

const CHANGES = `SELECT c.invoice_id, c.seq, c.changed_at, i.total_minor, i.currency
                   FROM invoice_account_changes c JOIN invoices i ON i.id = c.invoice_id`;

/** Accounts changed and not yet pushed to the kiosks, oldest change first. */
export async function unpushedAccounts(db: Sql, limit: number): Promise<CentralAccount[]> {
  const changes = await db.query<ChangeRow>(`${CHANGES} WHERE NOT c.pushed ORDER BY c.seq LIMIT $1`, [limit]);
  return accountsOf(db, changes);
}

/** Marks accounts pushed — unless they changed again meanwhile (then they go out again). */
export async function markPushed(db: Sql, accounts: readonly CentralAccount[]): Promise<void> {
  if (accounts.length === 0) return;
  await db.query(
    `UPDATE invoice_account_changes c SET pushed = true
       FROM jsonb_to_recordset($1::jsonb) AS a(invoice_id text, seq bigint)
      WHERE c.invoice_id = a.invoice_id AND c.seq = a.seq`,
    [JSON.stringify(accounts.map((account) => ({ invoice_id: account.invoiceId, seq: account.seq })))],
  );
}

/** A page of the accounts changed after `since` (a kiosk's pull), and whether there is more. */
export async function accountsAfter(
  db: Sql,
  since: number,
  limit: number,
): Promise<{ accounts: CentralAccount[]; more: boolean }> {
  const changes = await db.query<ChangeRow>(`${CHANGES} WHERE c.seq > $1 ORDER BY c.seq LIMIT $2`, [
    since,
    limit + 1,
  ]);
  return { accounts: await accountsOf(db, changes.slice(0, limit)), more: changes.length > limit };
}

/** One invoice's account (the API and the dashboard); null for an invoice central does not have. */
export async function accountOf(db: Sql, invoiceId: string): Promise<CentralAccount | null> {
  const [row] = await db.query<ChangeRow>(
    `SELECT i.id AS invoice_id, coalesce(c.seq, 0) AS seq, coalesce(c.changed_at, i.updated_at) AS changed_at,
            i.total_minor, i.currency
       FROM invoices i LEFT JOIN invoice_account_changes c ON c.invoice_id = i.id WHERE i.id = $1`,
    [invoiceId],
  );
  if (!row) return null;
  const [account] = await accountsOf(db, [row]);
  return account ?? null;
}

/** Kiosks that may hold the catalog and are not known to be offline: who gets a push. */
export async function pushTargets(db: CentralDb): Promise<string[]> {
  const rows = await db.query<{ device_id: string }>(
    "SELECT device_id FROM devices WHERE state <> 'offline' ORDER BY device_id",
  );
  return rows.map((row) => row.device_id);
}

/** An invoice paid beyond its total: what the dashboard lists for staff to settle. */
export interface CreditedInvoice {
  readonly invoiceId: string;
  readonly number: string;
  readonly clientName: string;
  readonly currency: string;
  readonly totalMinor: number;
  readonly paidMinor: number;
  readonly refundedMinor: number;
  readonly creditMinor: number;
  /** Who took the payments: each kiosk, and "Spectra". */
  readonly takenBy: readonly string[];
  readonly changedAt: string;
}

/** Invoices whose completed payments less refunds exceed their total (kiosks and Spectra together), newest first. */
export async function creditedInvoices(db: Sql, limit: number): Promise<CreditedInvoice[]> {
  const rows = await db.query<{
    id: string;
    number: string;
    first_name: string;
    last_name: string;
    currency: string;
    total_minor: unknown;
    paid: unknown;
    refunded: unknown;
    taken_by: string[] | null;
    changed_at: Date | string;
  }>(
    `WITH counted AS (
       SELECT r.invoice_id, r.kind, r.amount_minor, r.device_id AS taken_by
         FROM payment_records r JOIN invoices i ON i.id = r.invoice_id
        WHERE r.status = 'completed' AND r.currency = i.currency
       UNION ALL
       SELECT p.invoice_id, p.kind, p.amount_minor, 'Spectra'
         FROM invoice_payments p JOIN invoices i ON i.id = p.invoice_id WHERE p.currency = i.currency),
     sums AS (
       SELECT invoice_id,
              sum(amount_minor) FILTER (WHERE kind = 'payment') AS paid,
              coalesce(sum(amount_minor) FILTER (WHERE kind = 'refund'), 0) AS refunded,
              array_agg(DISTINCT taken_by ORDER BY taken_by) FILTER (WHERE kind = 'payment') AS taken_by
         FROM counted GROUP BY invoice_id)
     SELECT i.id, i.number, c.first_name, c.last_name, i.currency, i.total_minor, s.paid, s.refunded, s.taken_by,
            coalesce(ch.changed_at, i.updated_at) AS changed_at
       FROM sums s JOIN invoices i ON i.id = s.invoice_id JOIN clients c ON c.id = i.client_id
       LEFT JOIN invoice_account_changes ch ON ch.invoice_id = i.id
      WHERE s.paid - s.refunded > i.total_minor
      ORDER BY changed_at DESC LIMIT $1`,
    [limit],
  );
  return rows.map((row) => {
    const paidMinor = int(row.paid);
    const refundedMinor = int(row.refunded);
    const totalMinor = int(row.total_minor);
    return {
      invoiceId: row.id,
      number: row.number,
      clientName: `${row.first_name} ${row.last_name}`.trim(),
      currency: row.currency,
      totalMinor,
      paidMinor,
      refundedMinor,
      creditMinor: paidMinor - refundedMinor - totalMinor,
      takenBy: row.taken_by ?? [],
      changedAt: new Date(row.changed_at).toISOString(),
    };
  });
}
