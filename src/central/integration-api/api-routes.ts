import { ErrorCodes } from "../../core/error-codes.js";
import { jsonNestingExceeds } from "../../core/json-nesting.js";
import { KioskError } from "../../core/kiosk-error.js";
import { describeIssues } from "../../core/zod-issues.js";
import { accountOf, accountTotals } from "../balances/account-queries.js";
import { spectraPaymentSchema, writeSpectraPayments } from "../balances/spectra-payments.js";
import { catalogCursor, writeCatalog } from "../catalog-store.js";
import { parseCatalogJson } from "../import/catalog-file.js";
import type { IntegrationApiDeps } from "./api-deps.js";

/** The most invoices and clients one post may carry; larger catalogs go through `central import`. */
const MAX_INVOICES_PER_POST = 1000;

export interface RouteCall {
  readonly integration: string;
  readonly body: string | null;
  readonly params: readonly string[];
}

export interface Answer {
  readonly status: number;
  readonly body: unknown;
}

type Found =
  | { kind: "route"; run: (call: RouteCall) => Promise<Answer>; params: string[] }
  | { kind: "none"; status: 404 | 405 };

export interface ApiRoutes {
  find(method: string, path: string): Found;
}

const invalid = (message: string): KioskError =>
  new KioskError(ErrorCodes.INTEGRATION_REQUEST_INVALID, `${message} Nothing was changed.`);

function parseJson(text: string | null, maxDepth: number): unknown {
  if (text === null || text.trim() === "") throw invalid("The request has no JSON body.");
  if (jsonNestingExceeds(text, maxDepth)) throw invalid(`The JSON nests deeper than ${maxDepth} levels.`);
  try {
    return JSON.parse(text);
  } catch {
    throw invalid("The request body is not JSON.");
  }
}

/** An invoice's account as the API shows it: every payment counted, from every kiosk and Spectra. */
async function account(deps: IntegrationApiDeps, invoiceId: string): Promise<Record<string, unknown> | null> {
  const found = await accountOf(deps.db, invoiceId);
  if (!found) return null;
  return { invoiceId, currency: found.currency, totalMinor: found.totalMinor, ...accountTotals(found) };
}

export function integrationRoutes(deps: IntegrationApiDeps): ApiRoutes {
  const postPayment = async ({ integration, body }: RouteCall): Promise<Answer> => {
    const parsed = spectraPaymentSchema.safeParse(parseJson(body, 2));
    if (!parsed.success)
      throw invalid(
        `The payment is not valid: ${describeIssues(parsed.error.issues).slice(0, 10).join("; ")}.`,
      );
    const at = deps.clock.now().toISOString();
    const written = await deps.db.transaction((tx) =>
      writeSpectraPayments(tx, [parsed.data], `api:${integration}`, at),
    );
    return {
      status: written.recorded === 1 ? 201 : 200,
      body: { recorded: written.recorded === 1, account: await account(deps, parsed.data.invoiceId) },
    };
  };

  const postInvoices = async ({ integration, body }: RouteCall): Promise<Answer> => {
    const catalog = parseCatalogJson("the request", body ?? "");
    const payments = catalog.payments ?? [];
    if (catalog.invoices.length + catalog.clients.length + payments.length > MAX_INVOICES_PER_POST)
      throw invalid(`At most ${MAX_INVOICES_PER_POST} invoices, clients and payments per request.`);
    const at = deps.clock.now().toISOString();
    const written = await deps.db.transaction(async (tx) => {
      const catalogWrite = await writeCatalog(tx, catalog.clients, catalog.invoices, at);
      const paid = await writeSpectraPayments(tx, payments, `api:${integration}`, at);
      return { ...catalogWrite, paymentsRecorded: paid.recorded };
    });
    if (written.invoicesChanged + written.clientsChanged > 0)
      await deps
        .nudge(await catalogCursor(deps.db))
        .catch((error: unknown) =>
          deps.logger.warn(`kiosks not told of the posted invoices: ${(error as Error).message}`),
        );
    return { status: 200, body: written };
  };

  const getAccount = async ({ params }: RouteCall): Promise<Answer> => {
    const found = await account(deps, params[0] ?? "");
    if (!found)
      throw new KioskError(
        ErrorCodes.INTEGRATION_NOT_FOUND,
        `Central has no invoice ${(params[0] ?? "").slice(0, 64)}.`,
      );
    return { status: 200, body: found };
  };

  return {
    find(method, path) {
      if (path === "/api/v1/payments")
        return method === "POST"
          ? { kind: "route", run: postPayment, params: [] }
          : { kind: "none", status: 405 };
      if (path === "/api/v1/invoices")
        return method === "POST"
          ? { kind: "route", run: postInvoices, params: [] }
          : { kind: "none", status: 405 };
      const match = /^\/api\/v1\/invoices\/([^/]{1,200})\/account$/.exec(path);
      if (match) {
        let id: string;
        try {
          id = decodeURIComponent(match[1] as string);
        } catch {
          return { kind: "none", status: 404 };
        }
        return method === "GET"
          ? { kind: "route", run: getAccount, params: [id] }
          : { kind: "none", status: 405 };
      }
      return { kind: "none", status: 404 };
    },
  };
}
