import { readFileSync } from "node:fs";
import { extname } from "node:path";
import { parse } from "csv-parse/sync";
import { z } from "zod";
import { ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";
import { describeIssues } from "../../core/zod-issues.js";
import { invoiceLineSchema, invoiceSchema } from "../../payments/invoice.js";
import { parseMoney } from "../../payments/money.js";
import type { ClientInput, InvoiceInput } from "../catalog-store.js";

/** What an import file holds: clients, and invoices each naming its client. */
export interface CatalogFile {
  readonly clients: ClientInput[];
  readonly invoices: InvoiceInput[];
}

export type CatalogFormat = "csv" | "json";

const minor = z.number().int().refine(Number.isSafeInteger, "a whole number of minor units");
const clientSchema = z.strictObject({
  id: z.string().min(1).max(64),
  firstName: z.string().max(80).default(""),
  lastName: z.string().min(1).max(80),
});

/** JSON: amounts in minor units; totalMinor defaults to the sum of the lines' amounts. */
const jsonFileSchema = z.strictObject({
  clients: z.array(clientSchema).default([]),
  invoices: z
    .array(
      z.strictObject({
        id: z.string().min(1).max(64),
        number: z.string().min(1).max(32),
        client: clientSchema,
        sessionId: z.string().max(64).nullable().default(null),
        lines: z.array(invoiceLineSchema).max(500),
        totalMinor: minor.optional(),
        currency: z.string().regex(/^[A-Z]{3}$/),
      }),
    )
    .default([]),
});

/** CSV: one row per invoice line; the invoice's columns repeat on each of its rows. */
const CSV_REQUIRED = [
  "invoice_id",
  "invoice_number",
  "client_id",
  "last_name",
  "currency",
  "line_description",
  "line_amount",
] as const;

const MAX_PROBLEMS = 20;

function invalid(path: string, problems: readonly string[]): KioskError {
  const shown = problems.slice(0, MAX_PROBLEMS);
  const more = problems.length > shown.length ? `\n  ... and ${problems.length - shown.length} more` : "";
  return new KioskError(
    ErrorCodes.CENTRAL_IMPORT_INVALID,
    `${path} has ${problems.length} problem(s); nothing was imported:\n  ${shown.join("\n  ")}${more}`,
    { problems: problems.length },
  );
}

/** Every invoice must be one a kiosk accepts; every client id must name one person. */
function finish(
  path: string,
  clients: ClientInput[],
  invoices: InvoiceInput[],
  problems: string[],
): CatalogFile {
  const byId = new Map<string, ClientInput>();
  for (const client of [...clients, ...invoices.map((invoice) => invoice.client)]) {
    const seen = byId.get(client.id);
    if (seen && (seen.firstName !== client.firstName || seen.lastName !== client.lastName)) {
      problems.push(
        `client ${client.id}: named both "${seen.firstName} ${seen.lastName}" and "${client.firstName} ${client.lastName}"`,
      );
    }
    byId.set(client.id, client);
  }
  const numbers = new Map<string, string>();
  for (const invoice of invoices) {
    const checked = invoiceSchema.safeParse({ ...invoice, version: 1 });
    if (!checked.success) {
      problems.push(
        ...describeIssues(checked.error.issues).map((issue) => `invoice ${invoice.id}: ${issue}`),
      );
    }
    const other = numbers.get(invoice.number);
    if (other !== undefined && other !== invoice.id) {
      problems.push(`invoice number ${invoice.number} is used by ${other} and ${invoice.id}`);
    }
    numbers.set(invoice.number, invoice.id);
  }
  if (problems.length > 0) throw invalid(path, problems);
  return { clients: [...byId.values()], invoices };
}

function fromJson(path: string, text: string): CatalogFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw invalid(path, [`not JSON: ${(error as Error).message}`]);
  }
  const parsed = jsonFileSchema.safeParse(raw);
  if (!parsed.success) throw invalid(path, describeIssues(parsed.error.issues));
  const invoices = parsed.data.invoices.map((invoice) => ({
    ...invoice,
    number: invoice.number.trim(),
    totalMinor: invoice.totalMinor ?? invoice.lines.reduce((total, line) => total + line.amountMinor, 0),
  }));
  return finish(path, parsed.data.clients, invoices, []);
}

function fromCsv(path: string, text: string): CatalogFile {
  let rows: Record<string, string>[];
  try {
    rows = parse(text, { columns: true, bom: true, trim: true, skip_empty_lines: true }) as Record<
      string,
      string
    >[];
  } catch (error) {
    throw invalid(path, [`not CSV: ${(error as Error).message}`]);
  }
  const header = rows[0] ? Object.keys(rows[0]) : [];
  const missing = CSV_REQUIRED.filter((column) => !header.includes(column));
  if (rows.length > 0 && missing.length > 0)
    throw invalid(path, [`missing column(s): ${missing.join(", ")}`]);
  const problems: string[] = [];
  const invoices = new Map<string, InvoiceInput & { declaredTotal: number | null }>();
  rows.forEach((row, index) => {
    const at = `row ${index + 2}`;
    const currency = row.currency ?? "";
    try {
      const amount = parseMoney(row.line_amount ?? "", currency).minor;
      const quantity = row.line_quantity ? Number(row.line_quantity) : 1;
      const declaredTotal = row.invoice_total ? parseMoney(row.invoice_total, currency).minor : null;
      const id = row.invoice_id ?? "";
      const invoice = invoices.get(id) ?? {
        id,
        number: (row.invoice_number ?? "").trim(),
        client: { id: row.client_id ?? "", firstName: row.first_name ?? "", lastName: row.last_name ?? "" },
        sessionId: row.session_id || null,
        lines: [],
        totalMinor: 0,
        currency,
        declaredTotal,
      };
      if (invoice.number !== (row.invoice_number ?? "").trim() || invoice.currency !== currency) {
        problems.push(`${at}: invoice ${id} has another number or currency on an earlier row`);
      }
      if (declaredTotal !== invoice.declaredTotal)
        problems.push(`${at}: invoice ${id} has another invoice_total on an earlier row`);
      invoice.lines.push({ description: row.line_description ?? "", quantity, amountMinor: amount });
      invoice.totalMinor += amount;
      invoices.set(id, invoice);
    } catch (error) {
      problems.push(`${at}: ${(error as Error).message}`);
    }
  });
  const list = [...invoices.values()].map(({ declaredTotal, ...invoice }) => ({
    ...invoice,
    totalMinor: declaredTotal ?? invoice.totalMinor,
  }));
  return finish(path, [], list, problems);
}

/** Reads and checks a whole file first: an import with any problem imports nothing. */
export function readCatalogFile(path: string, format?: CatalogFormat): CatalogFile {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new KioskError(
      ErrorCodes.CENTRAL_IMPORT_UNREADABLE,
      `Cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? "unreadable"}).`,
      { path },
    );
  }
  const kind = format ?? (extname(path).toLowerCase() === ".csv" ? "csv" : "json");
  return kind === "csv" ? fromCsv(path, text) : fromJson(path, text);
}
