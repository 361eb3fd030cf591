import { readFileSync } from "node:fs";
import { extname } from "node:path";
import { parse } from "csv-parse/sync";
import { z } from "zod";
import { ErrorCodes } from "../../core/error-codes.js";
import { jsonNestingExceeds } from "../../core/json-nesting.js";
import { KioskError } from "../../core/kiosk-error.js";
import { describeIssues } from "../../core/zod-issues.js";
import { invoiceLineSchema, invoiceSchema } from "../../payments/invoice.js";
import { parseMoney } from "../../payments/money.js";
import { type SpectraPayment, spectraPaymentSchema } from "../balances/spectra-payments.js";
import type { ClientInput, InvoiceInput } from "../catalog-store.js";
import { amountProblem, CSV_FIELD_LENGTHS, checkFileSize, IMPORT_BOUNDS, tooLarge } from "./import-bounds.js";

/** What an import file holds: clients, invoices each naming its client, and payments made in Spectra. */
export interface CatalogFile {
  readonly clients: ClientInput[];
  readonly invoices: InvoiceInput[];
  /** Payments already made in Spectra (amount, date, method, reference); none when absent. */
  readonly payments?: SpectraPayment[];
}

export type CatalogFormat = "csv" | "json";

const { maxAmountMinor, maxRows } = IMPORT_BOUNDS;
const lineAmount = z.number().int().min(-maxAmountMinor).max(maxAmountMinor);
const total = z.number().int().min(0).max(maxAmountMinor);
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
        lines: z.array(invoiceLineSchema.extend({ amountMinor: lineAmount })).max(500),
        totalMinor: total.optional(),
        currency: z.string().regex(/^[A-Z]{3}$/),
      }),
    )
    .default([]),
  payments: z.array(spectraPaymentSchema).default([]),
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
  payments: SpectraPayment[],
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
  const references = new Map<string, SpectraPayment>();
  for (const payment of payments) {
    const other = references.get(payment.reference);
    if (other && JSON.stringify(other) !== JSON.stringify(payment))
      problems.push(`payment reference ${payment.reference} names two different payments`);
    references.set(payment.reference, payment);
  }
  if (problems.length > 0) throw invalid(path, problems);
  return { clients: [...byId.values()], invoices, payments };
}

/** Refuses more invoices and clients than the bound before the schema looks at each. */
function checkJsonRows(path: string, raw: unknown): void {
  if (typeof raw !== "object" || raw === null) return;
  const { invoices, clients, payments } = raw as {
    invoices?: unknown;
    clients?: unknown;
    payments?: unknown;
  };
  const count = (list: unknown): number => (Array.isArray(list) ? list.length : 0);
  const rows = count(invoices) + count(clients) + count(payments);
  if (rows > maxRows) throw tooLarge(path, `${rows} invoices, clients and payments, at most ${maxRows}`);
}

/** A catalog in the JSON import's shape, from text (a file's, or an integration's request body). */
export function parseCatalogJson(path: string, text: string): CatalogFile {
  return fromJson(path, text);
}

function fromJson(path: string, text: string): CatalogFile {
  if (jsonNestingExceeds(text, IMPORT_BOUNDS.maxJsonNesting)) {
    throw invalid(path, [`nested deeper than ${IMPORT_BOUNDS.maxJsonNesting} levels; a catalog nests four`]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw invalid(path, [`not JSON: ${(error as Error).message}`]);
  }
  checkJsonRows(path, raw);
  const parsed = jsonFileSchema.safeParse(raw);
  if (!parsed.success) throw invalid(path, describeIssues(parsed.error.issues));
  const invoices = parsed.data.invoices.map((invoice) => ({
    ...invoice,
    number: invoice.number.trim(),
    totalMinor: invoice.totalMinor ?? invoice.lines.reduce((total, line) => total + line.amountMinor, 0),
  }));
  return finish(path, parsed.data.clients, invoices, parsed.data.payments, []);
}

/** Each field's length, in the row's own words, before its value is used. */
function fieldProblems(row: Record<string, string>, at: string): string[] {
  const problems: string[] = [];
  for (const [column, max] of Object.entries(CSV_FIELD_LENGTHS)) {
    const value = row[column];
    if (value !== undefined && value.length > max) {
      problems.push(`${at}: ${column} is longer than ${max} characters`);
    }
  }
  return problems;
}

/** A CSV amount in minor units, within the bounds; throws what is wrong, for the row's message. */
function csvAmount(column: string, text: string, currency: string): number {
  const { minor } = parseMoney(text, currency);
  const problem = amountProblem(minor, { negative: false });
  if (problem) throw new Error(`${column} is ${problem}`);
  return minor;
}

function csvQuantity(text: string | undefined): number {
  if (!text) return 1;
  const quantity = /^\d{1,6}$/.test(text) ? Number(text) : 0;
  if (quantity < 1 || quantity > IMPORT_BOUNDS.maxQuantity) {
    throw new Error(`line_quantity must be a whole number from 1 to ${IMPORT_BOUNDS.maxQuantity}`);
  }
  return quantity;
}

function parseCsvRows(path: string, text: string): Record<string, string>[] {
  let rows: Record<string, string>[];
  try {
    rows = parse(text, {
      columns: (header: string[]) => {
        if (header.length > IMPORT_BOUNDS.maxColumns) {
          throw new Error(`the header has ${header.length} columns, at most ${IMPORT_BOUNDS.maxColumns}`);
        }
        return header;
      },
      bom: true,
      trim: true,
      skip_empty_lines: true,
      max_record_size: IMPORT_BOUNDS.maxRowChars,
      // One more than allowed is enough to know the file has too many.
      to: maxRows + 1,
    }) as Record<string, string>[];
  } catch (error) {
    throw invalid(path, [`not CSV: ${(error as Error).message}`]);
  }
  if (rows.length > maxRows) throw tooLarge(path, `row ${maxRows + 2} is past the limit of ${maxRows} rows`);
  return rows;
}

function fromCsv(path: string, text: string): CatalogFile {
  const rows = parseCsvRows(path, text);
  const header = rows[0] ? Object.keys(rows[0]) : [];
  const missing = CSV_REQUIRED.filter((column) => !header.includes(column));
  if (rows.length > 0 && missing.length > 0)
    throw invalid(path, [`missing column(s): ${missing.join(", ")}`]);
  const problems: string[] = [];
  const invoices = new Map<string, InvoiceInput & { declaredTotal: number | null; firstRow: string }>();
  const payments: SpectraPayment[] = [];
  rows.forEach((row, index) => {
    const at = `row ${index + 2}`;
    const tooLong = fieldProblems(row, at);
    if (tooLong.length > 0) {
      problems.push(...tooLong);
      return;
    }
    if (row.payment_reference) {
      const payment = csvPayment(row, at, problems);
      if (payment) payments.push(payment);
      return;
    }
    const currency = row.currency ?? "";
    try {
      const amount = csvAmount("line_amount", row.line_amount ?? "", currency);
      const quantity = csvQuantity(row.line_quantity);
      const declaredTotal = row.invoice_total
        ? csvAmount("invoice_total", row.invoice_total, currency)
        : null;
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
        firstRow: at,
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
  const list = [...invoices.values()].map(({ declaredTotal, firstRow, ...invoice }) => {
    const totalMinor = declaredTotal ?? invoice.totalMinor;
    const problem = amountProblem(totalMinor, { negative: false });
    if (problem) problems.push(`${firstRow}: invoice ${invoice.id}'s total is ${problem}`);
    return { ...invoice, totalMinor };
  });
  return finish(path, [], list, payments, problems);
}

/**
 * A CSV row with a payment_reference is a payment made in Spectra on the row's invoice_id (no line):
 * payment_amount in the row's currency, payment_date (YYYY-MM-DD), payment_method, and optionally
 * payment_kind (payment or refund).
 */
function csvPayment(row: Record<string, string>, at: string, problems: string[]): SpectraPayment | null {
  if (row.line_description || row.line_amount) {
    problems.push(`${at}: a payment row carries no invoice line (line_description and line_amount empty)`);
    return null;
  }
  const currency = row.currency ?? "";
  let amountMinor: number;
  try {
    amountMinor = parseMoney(row.payment_amount ?? "", currency).minor;
  } catch (error) {
    problems.push(`${at}: payment_amount ${(error as Error).message}`);
    return null;
  }
  const parsed = spectraPaymentSchema.safeParse({
    reference: row.payment_reference,
    invoiceId: row.invoice_id ?? "",
    kind: row.payment_kind || "payment",
    amountMinor,
    currency,
    paidOn: row.payment_date ?? "",
    method: row.payment_method ?? "",
  });
  if (!parsed.success) {
    problems.push(...describeIssues(parsed.error.issues).map((issue) => `${at}: payment ${issue}`));
    return null;
  }
  return parsed.data;
}

/** Reads and checks a whole file first: an import with any problem imports nothing. */
export function readCatalogFile(path: string, format?: CatalogFormat): CatalogFile {
  checkFileSize(path);
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
