import type { Database, Statement } from "better-sqlite3";
import type { PaidElsewhere } from "../payments/invoice.js";

/** Central's word on one invoice: what was paid and refunded on it away from this kiosk. */
export interface ElsewhereUpdate {
  readonly invoiceId: string;
  /** Central's change number for the invoice's account; only a higher one replaces what is held. */
  readonly seq: number;
  readonly currency: string;
  readonly paidMinor: number;
  readonly refundedMinor: number;
  readonly asOf: string;
}

interface Row {
  paid_elsewhere_minor: number;
  refunded_elsewhere_minor: number;
  as_of: string;
  currency: string;
}

const CURSOR_KEY = "accounts.cursor";

/**
 * What central last said was paid on each invoice elsewhere (other kiosks, Spectra), and how far the
 * kiosk has caught up with central's account changes (a cursor, as the catalog has). Updates are
 * idempotent: one not newer than what is held changes nothing.
 */
export class ElsewhereBook {
  readonly #get: Statement<[string], Row>;
  readonly #upsert: Statement<ElsewhereUpdate & { receivedAt: string }>;
  readonly #cursor: Statement<[string], { value: string }>;
  readonly #setCursor: Statement<[string, string, string]>;

  constructor(private readonly db: Database) {
    this.#get = db.prepare(
      "SELECT paid_elsewhere_minor, refunded_elsewhere_minor, as_of, currency FROM invoice_accounts WHERE invoice_id = ?",
    );
    this.#upsert = db.prepare(
      `INSERT INTO invoice_accounts (invoice_id, seq, currency, paid_elsewhere_minor, refunded_elsewhere_minor, as_of, received_at)
       VALUES (@invoiceId, @seq, @currency, @paidMinor, @refundedMinor, @asOf, @receivedAt)
       ON CONFLICT(invoice_id) DO UPDATE SET seq = excluded.seq, currency = excluded.currency,
         paid_elsewhere_minor = excluded.paid_elsewhere_minor,
         refunded_elsewhere_minor = excluded.refunded_elsewhere_minor,
         as_of = excluded.as_of, received_at = excluded.received_at
       WHERE excluded.seq > invoice_accounts.seq`,
    );
    this.#cursor = db.prepare("SELECT value FROM sync_state WHERE key = ?");
    this.#setCursor = db.prepare(
      "INSERT INTO sync_state (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
    );
  }

  /** What was paid elsewhere on an invoice in `currency`; null when central told of nothing (or of another currency). */
  get(invoiceId: string, currency: string): PaidElsewhere | null {
    const row = this.#get.get(invoiceId);
    if (!row || row.currency !== currency) return null;
    return {
      paidMinor: row.paid_elsewhere_minor,
      refundedMinor: row.refunded_elsewhere_minor,
      asOf: row.as_of,
    };
  }

  /** The highest account change this kiosk is known to have every change up to. */
  cursor(): number {
    const row = this.#cursor.get(CURSOR_KEY);
    const value = row ? Number(row.value) : 0;
    return Number.isSafeInteger(value) && value >= 0 ? value : 0;
  }

  /**
   * Applies central's accounts, and, for a page answering this kiosk's request from `since`, moves
   * the cursor — all in one transaction. Returns the invoices whose accounts were newer than what
   * was held (each once), so whoever shows one can look at it again.
   */
  apply(
    updates: readonly ElsewhereUpdate[],
    page: { readonly since: number; readonly cursor: number } | null,
    receivedAt: string,
  ): string[] {
    return this.db
      .transaction(() => {
        const applied = new Set<string>();
        for (const update of updates)
          if (this.#upsert.run({ ...update, receivedAt }).changes > 0) applied.add(update.invoiceId);
        const current = this.cursor();
        // Only a page that starts at or before what we hold closes the gap up to its cursor.
        if (page && page.since <= current && page.cursor > current)
          this.#setCursor.run(CURSOR_KEY, String(page.cursor), receivedAt);
        return [...applied];
      })
      .immediate();
  }
}
