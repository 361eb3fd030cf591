import type { Database, Statement } from "better-sqlite3";
import { ErrorCodes } from "../core/error-codes.js";
import { KioskError } from "../core/kiosk-error.js";
import { describeIssues } from "../core/zod-issues.js";
import { type Invoice, type InvoiceTerms, invoiceSchema, type PaidElsewhere } from "../payments/invoice.js";
import type { ElsewhereBook } from "./elsewhere-book.js";

/** Client names compare without case, accents or surrounding spaces ("  Núñez " finds "nunez"). */
export function nameKey(name: string): string {
  return name
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();
}

export function invoiceNumberKey(number: string): string {
  return number.trim().toUpperCase();
}

interface InvoiceRow {
  id: string;
  number: string;
  client_id: string;
  session_id: string | null;
  lines_json: string;
  total_minor: number;
  currency: string;
  version: number;
  first_name: string;
  last_name: string;
}

export interface ClientUpdate {
  readonly id: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly version: number;
}

function parseInvoice(update: unknown): Invoice {
  const result = invoiceSchema.safeParse(update);
  if (!result.success) {
    throw new KioskError(
      ErrorCodes.STORE_INVOICE_INVALID,
      `An invoice update was malformed and not applied: ${describeIssues(result.error.issues).slice(0, 5).join("; ")}`,
    );
  }
  return result.data;
}

const SELECT = `SELECT i.*, c.first_name, c.last_name FROM invoices i JOIN clients c ON c.id = i.client_id`;

type TermsRow = Pick<InvoiceRow, "id" | "number" | "client_id" | "session_id" | "total_minor" | "currency">;

/** Rows were validated when written (upsertInvoice parses with the schema), so reads trust them. */
function fromRow(row: InvoiceRow): Invoice {
  return {
    id: row.id,
    number: row.number,
    client: { id: row.client_id, firstName: row.first_name, lastName: row.last_name },
    sessionId: row.session_id,
    lines: JSON.parse(row.lines_json) as Invoice["lines"],
    totalMinor: row.total_minor,
    currency: row.currency,
    version: row.version,
  };
}

/**
 * The kiosk's copy of central's invoices and clients, so lookup works offline. Updates are
 * idempotent: one with a version not newer than the stored one changes nothing.
 */
export class InvoiceCache {
  readonly #byId: Statement<[string], InvoiceRow>;
  readonly #termsById: Statement<[string], TermsRow>;
  readonly #byNumber: Statement<[string], InvoiceRow>;
  readonly #upsertClient: Statement<ClientUpdate & { lastNameKey: string; updatedAt: string }>;
  readonly #upsertInvoice: Statement<Omit<InvoiceRow, "first_name" | "last_name"> & { updated_at: string }>;

  constructor(
    private readonly db: Database,
    /** What was paid elsewhere, counted into the terms the payment rules read. */
    private readonly paidElsewhere: ElsewhereBook | null = null,
  ) {
    this.#byId = db.prepare(`${SELECT} WHERE i.id = ?`);
    this.#termsById = db.prepare(
      "SELECT id, number, client_id, session_id, total_minor, currency FROM invoices WHERE id = ?",
    );
    this.#byNumber = db.prepare(`${SELECT} WHERE i.number = ?`);
    this.#upsertClient = db.prepare(
      `INSERT INTO clients (id, first_name, last_name, last_name_key, version, updated_at)
       VALUES (@id, @firstName, @lastName, @lastNameKey, @version, @updatedAt)
       ON CONFLICT(id) DO UPDATE SET first_name = excluded.first_name, last_name = excluded.last_name,
         last_name_key = excluded.last_name_key, version = excluded.version, updated_at = excluded.updated_at
       WHERE excluded.version > clients.version`,
    );
    this.#upsertInvoice = db.prepare(
      `INSERT INTO invoices (id, number, client_id, session_id, lines_json, total_minor, currency, version, updated_at)
       VALUES (@id, @number, @client_id, @session_id, @lines_json, @total_minor, @currency, @version, @updated_at)
       ON CONFLICT(id) DO UPDATE SET number = excluded.number, client_id = excluded.client_id,
         session_id = excluded.session_id, lines_json = excluded.lines_json, total_minor = excluded.total_minor,
         currency = excluded.currency, version = excluded.version, updated_at = excluded.updated_at
       WHERE excluded.version > invoices.version`,
    );
  }

  get(id: string): Invoice | null {
    const row = this.#byId.get(id);
    return row ? fromRow(row) : null;
  }

  /** What the payment rules need of an invoice, without reading its lines or its client's names. */
  terms(id: string): InvoiceTerms | null {
    const row = this.#termsById.get(id);
    if (!row) return null;
    return {
      id: row.id,
      number: row.number,
      client: { id: row.client_id },
      sessionId: row.session_id,
      totalMinor: row.total_minor,
      currency: row.currency,
      elsewhere: this.elsewhere(row.id, row.currency),
    };
  }

  /** What central says was paid on the invoice at other kiosks and in Spectra (null: nothing known). */
  elsewhere(invoiceId: string, currency: string): PaidElsewhere | null {
    return this.paidElsewhere?.get(invoiceId, currency) ?? null;
  }

  /** Self-service lookup: the invoice number and the client's last name must both match. */
  find(number: string, lastName: string): Invoice | null {
    const row = this.#byNumber.get(invoiceNumberKey(number));
    if (!row || nameKey(row.last_name) !== nameKey(lastName)) return null;
    return fromRow(row);
  }

  /** Staff lookup, and a scanned invoice QR code: the number alone. */
  findByNumber(number: string): Invoice | null {
    const row = this.#byNumber.get(invoiceNumberKey(number));
    return row ? fromRow(row) : null;
  }

  /** Applies a client update; returns whether it was newer than what the kiosk had. */
  upsertClient(client: ClientUpdate, at: string): boolean {
    return (
      this.#upsertClient.run({ ...client, lastNameKey: nameKey(client.lastName), updatedAt: at }).changes ===
      1
    );
  }

  /**
   * Applies an invoice from central; returns whether it was newer. Its client is added if the kiosk
   * does not know them yet (at version 0, so any client update wins); client changes come as client
   * updates with their own versions.
   */
  upsertInvoice(update: Invoice, at: string): boolean {
    const invoice = parseInvoice(update);
    return this.db.transaction(() => {
      this.upsertClient({ ...invoice.client, version: 0 }, at);
      return (
        this.#upsertInvoice.run({
          id: invoice.id,
          number: invoiceNumberKey(invoice.number),
          client_id: invoice.client.id,
          session_id: invoice.sessionId,
          lines_json: JSON.stringify(invoice.lines),
          total_minor: invoice.totalMinor,
          currency: invoice.currency,
          version: invoice.version,
          updated_at: at,
        }).changes === 1
      );
    })();
  }
}
