import type { Invoice } from "../payments/invoice.js";
import type { CatalogPage, ClientUpdateMessage } from "../sync/protocol/messages.js";
import { type CentralDb, int, type Sql } from "./db/central-db.js";

/** Catalog writers hold this lock, so change numbers commit in order and no kiosk cursor skips one. */
const CATALOG_LOCK = 7_420_002;

export interface ClientInput {
  readonly id: string;
  readonly firstName: string;
  readonly lastName: string;
}

/** An invoice as imported: central assigns its version. */
export type InvoiceInput = Omit<Invoice, "version">;

export interface CatalogWrite {
  readonly clientsChanged: number;
  readonly invoicesChanged: number;
}

/**
 * Writes clients and invoices in the caller's transaction. Central owns versions: an entry whose
 * content changed gets version + 1 and a new change number; an unchanged one is left alone, so
 * importing the same file twice sends kiosks nothing new.
 */
export async function writeCatalog(
  tx: Sql,
  clients: readonly ClientInput[],
  invoices: readonly InvoiceInput[],
  at: string,
): Promise<CatalogWrite> {
  await tx.query("SELECT pg_advisory_xact_lock($1)", [CATALOG_LOCK]);
  // An invoice's client is written too, so no invoice can name a client central does not have.
  const everyClient = [...clients, ...invoices.map((invoice) => invoice.client)];
  const clientRows = [...new Map(everyClient.map((client) => [client.id, client])).values()].map(
    (client) => ({
      id: client.id,
      first_name: client.firstName,
      last_name: client.lastName,
    }),
  );
  const changedClients = clientRows.length
    ? await tx.query(
        `INSERT INTO clients (id, first_name, last_name, version, change_seq, updated_at)
         SELECT r.id, r.first_name, r.last_name, 1, nextval('catalog_change_seq'), $2::timestamptz
         FROM jsonb_to_recordset($1::jsonb) AS r(id text, first_name text, last_name text)
         ON CONFLICT (id) DO UPDATE SET first_name = excluded.first_name, last_name = excluded.last_name,
           version = clients.version + 1, change_seq = excluded.change_seq, updated_at = excluded.updated_at
         WHERE (clients.first_name, clients.last_name) IS DISTINCT FROM (excluded.first_name, excluded.last_name)
         RETURNING id`,
        [JSON.stringify(clientRows), at],
      )
    : [];
  const invoiceRows = invoices.map((invoice) => ({
    id: invoice.id,
    number: invoice.number,
    client_id: invoice.client.id,
    session_id: invoice.sessionId,
    lines: invoice.lines,
    total_minor: invoice.totalMinor,
    currency: invoice.currency,
  }));
  const changedInvoices = invoiceRows.length
    ? await tx.query(
        `INSERT INTO invoices (id, number, client_id, session_id, lines, total_minor, currency, version, change_seq, updated_at)
         SELECT r.id, r.number, r.client_id, r.session_id, r.lines, r.total_minor, r.currency, 1,
                nextval('catalog_change_seq'), $2::timestamptz
         FROM jsonb_to_recordset($1::jsonb) AS r(id text, number text, client_id text, session_id text, lines jsonb,
              total_minor bigint, currency text)
         ON CONFLICT (id) DO UPDATE SET number = excluded.number, client_id = excluded.client_id,
           session_id = excluded.session_id, lines = excluded.lines, total_minor = excluded.total_minor,
           currency = excluded.currency, version = invoices.version + 1, change_seq = excluded.change_seq,
           updated_at = excluded.updated_at
         WHERE (invoices.number, invoices.client_id, invoices.session_id, invoices.lines, invoices.total_minor,
                invoices.currency)
           IS DISTINCT FROM (excluded.number, excluded.client_id, excluded.session_id, excluded.lines,
                excluded.total_minor, excluded.currency)
         RETURNING id`,
        [JSON.stringify(invoiceRows), at],
      )
    : [];
  return { clientsChanged: changedClients.length, invoicesChanged: changedInvoices.length };
}

/** The newest change number (0 for an empty catalog). */
export async function catalogCursor(db: Sql): Promise<number> {
  const [row] = await db.query<{ cursor: unknown }>(
    "SELECT greatest((SELECT coalesce(max(change_seq), 0) FROM clients), (SELECT coalesce(max(change_seq), 0) FROM invoices)) AS cursor",
  );
  return int(row?.cursor ?? 0);
}

interface ChangeRow {
  kind: "client" | "invoice";
  change_seq: unknown;
  doc: Record<string, unknown>;
}

/** What one catalog page carries; central signs it for the kiosk that asked (catalog-signer.ts). */
export type CatalogChanges = Pick<CatalogPage, "since" | "cursor" | "more" | "clients" | "invoices">;

/** The changes after `since`, oldest first, at most `limit`: what one catalog page carries. */
export async function catalogPage(db: CentralDb, since: number, limit: number): Promise<CatalogChanges> {
  const rows = await db.query<ChangeRow>(
    `SELECT kind, change_seq, doc FROM (
       (SELECT 'client' AS kind, c.change_seq,
               jsonb_build_object('id', c.id, 'firstName', c.first_name, 'lastName', c.last_name, 'version', c.version) AS doc
        FROM clients c WHERE c.change_seq > $1 ORDER BY c.change_seq LIMIT $2)
       UNION ALL
       (SELECT 'invoice' AS kind, i.change_seq,
               jsonb_build_object('id', i.id, 'number', i.number,
                 'client', jsonb_build_object('id', c.id, 'firstName', c.first_name, 'lastName', c.last_name),
                 'sessionId', i.session_id, 'lines', i.lines, 'totalMinor', i.total_minor, 'currency', i.currency,
                 'version', i.version) AS doc
        FROM invoices i JOIN clients c ON c.id = i.client_id
        WHERE i.change_seq > $1 ORDER BY i.change_seq LIMIT $2)
     ) AS changes ORDER BY change_seq LIMIT $2`,
    [since, limit + 1],
  );
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    since,
    cursor: last ? int(last.change_seq) : since,
    more: rows.length > limit,
    clients: page.filter((row) => row.kind === "client").map((row) => row.doc as ClientUpdateMessage),
    invoices: page.filter((row) => row.kind === "invoice").map((row) => row.doc as Invoice),
  };
}
