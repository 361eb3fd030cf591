import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CentralDb } from "../../src/central/db/central-db.js";
import { openCentralDb } from "../../src/central/db/open-central-db.js";
import { importCatalog } from "../../src/central/import/import-catalog.js";
import { integrationApiConfigSchema } from "../../src/central/integration-api/api-config.js";
import {
  type RunningIntegrationApi,
  startIntegrationApi,
} from "../../src/central/integration-api/api-server.js";
import { addIntegrationToken, revokeIntegrationToken } from "../../src/central/integration-api/tokens.js";
import { migrateCentral } from "../../src/central/migrate.js";
import { systemClock } from "../../src/core/clock.js";
import { createMemoryLogger } from "../../src/core/logger.js";
import { invoice } from "../helpers/payments.js";
import { createTestDatabase, type TestDatabase } from "../helpers/postgres.js";

let database: TestDatabase;
let db: CentralDb;
let api: RunningIntegrationApi;
let token: string;
let revoked: string;
const nudges: number[] = [];

const payment = {
  reference: "SP-1",
  invoiceId: "inv-1",
  amountMinor: 1_000,
  currency: "USD",
  paidOn: "2026-12-01",
  method: "Front desk",
};

async function call(
  path: string,
  init: { method?: string; body?: string; token?: string | null; type?: string } = {},
): Promise<{
  status: number;
  body: { error?: { code: string; message: string } } & Record<string, unknown>;
}> {
  const headers: Record<string, string> = { "content-type": init.type ?? "application/json" };
  const bearer = init.token === undefined ? token : init.token;
  if (bearer !== null) headers.authorization = `Bearer ${bearer}`;
  const response = await fetch(`${api.url}${path}`, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers,
    ...(init.body !== undefined ? { body: init.body } : {}),
  });
  return { status: response.status, body: (await response.json()) as never };
}

/** Everything the API could change: Spectra's payments, the catalog, the accounts' marks. */
async function state(): Promise<unknown> {
  return db.query(
    `SELECT (SELECT count(*) FROM invoice_payments) AS payments,
            (SELECT coalesce(sum(amount_minor), 0) FROM invoice_payments) AS paid,
            (SELECT count(*) FROM invoices) AS invoices,
            (SELECT coalesce(sum(total_minor), 0) FROM invoices) AS totals,
            (SELECT count(*) FROM invoice_account_changes) AS changes`,
  );
}

beforeAll(async () => {
  database = await createTestDatabase();
  db = await openCentralDb({ mode: "postgres", url: database.url, poolSize: 2 }, createMemoryLogger());
  await migrateCentral(db, createMemoryLogger());
  const { version: _version, ...inv } = invoice();
  await importCatalog(db, { clients: [], invoices: [inv] }, { at: new Date().toISOString() });
  token = await addIntegrationToken(db, "spectra", new Date().toISOString());
  revoked = await addIntegrationToken(db, "old-desk", new Date().toISOString());
  await revokeIntegrationToken(db, "old-desk", new Date().toISOString());
  api = await startIntegrationApi({
    db,
    config: integrationApiConfigSchema.parse({ enabled: true, port: 0, maxBodyBytes: 64 * 1024 }),
    nudge: async (cursor) => {
      nudges.push(cursor);
    },
    logger: createMemoryLogger(),
    clock: systemClock,
  });
  expect((await call("/api/v1/payments", { body: JSON.stringify(payment) })).status).toBe(201);
}, 60_000);

afterAll(async () => {
  await api?.close();
  await db?.close();
  await database?.drop();
});

describe("the integration API refuses hostile requests with a coded error and changes nothing", () => {
  const good = JSON.stringify({ ...payment, reference: "SP-2" });
  const deep = `${"[".repeat(5000)}${"]".repeat(5000)}`;
  const cases: [string, Parameters<typeof call>[1] & { path?: string }, number, string][] = [
    ["no token", { body: good, token: null }, 401, "INTEGRATION_UNAUTHORIZED"],
    ["a made-up token", { body: good, token: `spk_int_${"A".repeat(43)}` }, 401, "INTEGRATION_UNAUTHORIZED"],
    ["a revoked token", { body: good, token: "REVOKED" }, 401, "INTEGRATION_UNAUTHORIZED"],
    [
      "a dashboard-style cookie instead of a token",
      { body: good, token: "session=abc" },
      401,
      "INTEGRATION_UNAUTHORIZED",
    ],
    ["not JSON", { body: "amount=1000" }, 400, "INTEGRATION_REQUEST_INVALID"],
    ["another content type", { body: good, type: "text/plain" }, 415, "INTEGRATION_REQUEST_INVALID"],
    ["JSON nested 5,000 deep", { body: deep }, 400, "INTEGRATION_REQUEST_INVALID"],
    [
      "a body over the bound",
      { body: JSON.stringify({ ...payment, method: "x".repeat(70_000) }) },
      413,
      "CENTRAL_IMPORT_TOO_LARGE",
    ],
    [
      "a fractional amount",
      { body: JSON.stringify({ ...payment, reference: "SP-3", amountMinor: 10.5 }) },
      400,
      "INTEGRATION_REQUEST_INVALID",
    ],
    [
      "a negative amount",
      { body: JSON.stringify({ ...payment, reference: "SP-3", amountMinor: -100 }) },
      400,
      "INTEGRATION_REQUEST_INVALID",
    ],
    [
      "an absurd amount",
      { body: JSON.stringify({ ...payment, reference: "SP-3", amountMinor: 1e18 }) },
      400,
      "INTEGRATION_REQUEST_INVALID",
    ],
    [
      "an amount as a string",
      { body: JSON.stringify({ ...payment, reference: "SP-3", amountMinor: "1000" }) },
      400,
      "INTEGRATION_REQUEST_INVALID",
    ],
    [
      "a card number field",
      { body: JSON.stringify({ ...payment, reference: "SP-3", cardNumber: "4111111111111111" }) },
      400,
      "INTEGRATION_REQUEST_INVALID",
    ],
    [
      "an impossible date",
      { body: JSON.stringify({ ...payment, reference: "SP-3", paidOn: "2026-02-30" }) },
      400,
      "INTEGRATION_REQUEST_INVALID",
    ],
    [
      "an unknown invoice",
      { body: JSON.stringify({ ...payment, reference: "SP-3", invoiceId: "inv-x" }) },
      422,
      "CENTRAL_PAYMENT_INVOICE_UNKNOWN",
    ],
    [
      "another currency",
      { body: JSON.stringify({ ...payment, reference: "SP-3", currency: "EUR" }) },
      422,
      "CENTRAL_PAYMENT_INVALID",
    ],
    [
      "a known reference with another amount",
      { body: JSON.stringify({ ...payment, amountMinor: 9_000 }) },
      409,
      "CENTRAL_PAYMENT_REFERENCE_CONFLICT",
    ],
    [
      "a __proto__ key",
      { body: `{"__proto__":{"admin":true},${good.slice(1)}` },
      400,
      "INTEGRATION_REQUEST_INVALID",
    ],
    ["an unknown path", { path: "/api/v1/refunds", body: good }, 404, "INTEGRATION_NOT_FOUND"],
    ["a wrong method", { path: "/api/v1/payments", method: "DELETE" }, 405, "INTEGRATION_NOT_FOUND"],
    [
      "an invoice with a negative total",
      {
        path: "/api/v1/invoices",
        body: JSON.stringify({ invoices: [{ ...invoice(), version: undefined, totalMinor: -5 }] }),
      },
      400,
      "CENTRAL_IMPORT_INVALID",
    ],
  ];
  for (const [what, request, status, code] of cases) {
    it(`${what}: ${status} ${code}`, async () => {
      const before = await state();
      const { path, ...init } = request;
      const answer = await call(path ?? "/api/v1/payments", {
        ...init,
        ...(init.token === "REVOKED" ? { token: revoked } : {}),
      });
      expect(answer.status).toBe(status);
      expect(answer.body.error?.code).toBe(code);
      expect(answer.body.error?.message).not.toMatch(/4111111111111111/);
      expect(await state()).toEqual(before);
    });
  }

  it("the same payment sent again is recorded once", async () => {
    const again = await call("/api/v1/payments", { body: JSON.stringify(payment) });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({
      recorded: false,
      account: { paidMinor: 1_000, balanceMinor: 24_000 },
    });
  });

  it("posts invoices with a payment in one transaction and tells the kiosks", async () => {
    const posted = await call("/api/v1/invoices", {
      body: JSON.stringify({
        invoices: [
          {
            id: "inv-2",
            number: "A-2002",
            client: { id: "client-2", firstName: "Bo", lastName: "Li" },
            lines: [{ description: "Session", quantity: 1, amountMinor: 9_900 }],
            currency: "USD",
          },
        ],
        payments: [{ ...payment, reference: "SP-DEP-2", invoiceId: "inv-2", amountMinor: 4_900 }],
      }),
    });
    expect(posted).toMatchObject({ status: 200, body: { invoicesChanged: 1, paymentsRecorded: 1 } });
    expect(nudges.length).toBe(1);
    const account = await call("/api/v1/invoices/inv-2/account");
    expect(account.body).toMatchObject({
      totalMinor: 9_900,
      paidMinor: 4_900,
      balanceMinor: 5_000,
      creditMinor: 0,
    });
    expect((await call("/api/v1/invoices/nope/account")).status).toBe(404);
  });
});
