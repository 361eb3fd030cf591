import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accountOf, accountTotals } from "../../src/central/balances/account-queries.js";
import { type RunningCentral, startCentral } from "../../src/central/central.js";
import { addUser } from "../../src/central/dashboard/auth/users.js";
import { importCatalog } from "../../src/central/import/import-catalog.js";
import { addIntegrationToken } from "../../src/central/integration-api/tokens.js";
import type { Checkout } from "../../src/checkout/checkout.js";
import { managedSettingsCheck } from "../../src/config/managed-settings.js";
import { systemClock } from "../../src/core/clock.js";
import { createMemoryLogger } from "../../src/core/logger.js";
import { followInvoiceAccounts } from "../../src/remote/invoice-accounts.js";
import type { SyncAgent } from "../../src/sync/agent/sync-agent.js";
import { commandPublicKey, newCommandKeyPair } from "../../src/sync/protocol/command-signature.js";
import { testCheckout } from "../helpers/checkout.js";
import { OPERATOR } from "../helpers/dashboard.js";
import { launchChromium, screenshot } from "../helpers/dashboard-browser.js";
import { postgresCentral, testConfig } from "../helpers/kiosk-config.js";
import { type PrivateMosquitto, startMosquitto } from "../helpers/mosquitto.js";
import { CLIENT, cashPayment, invoice, manualCardPayment } from "../helpers/payments.js";
import { createTestDatabase, type TestDatabase } from "../helpers/postgres.js";
import { type TestStore, tempDir, testStore } from "../helpers/store.js";
import { expectDelivered, startAgent } from "../helpers/sync-harness.js";
import { until } from "../helpers/wait.js";

const keys = newCommandKeyPair();
const STAFF = { kind: "staff", staffId: "mgr" } as const;

interface TestKiosk {
  readonly id: string;
  readonly store: TestStore;
  readonly checkout: Checkout;
  agent: SyncAgent;
}

let broker: PrivateMosquitto;
let database: TestDatabase;
let central: RunningCentral;
let dir: { path: string; remove(): void };
let a: TestKiosk;
let b: TestKiosk;

function connect(kiosk: Pick<TestKiosk, "id" | "store">): SyncAgent {
  // The agent's production timings (not the fast test defaults), so the measured second is honest.
  const agent = startAgent(
    kiosk.store,
    kiosk.id,
    broker.url,
    { pollIntervalMs: 200, lingerMs: 50 },
    createMemoryLogger(),
    keys.publicKeyPem,
  );
  followInvoiceAccounts(agent, {
    publicKey: () => commandPublicKey(keys.publicKeyPem),
    deviceId: kiosk.id,
    clock: systemClock,
    maxClockSkewMs: 5000,
    book: kiosk.store.elsewhere,
    logger: createMemoryLogger(),
  });
  return agent;
}

async function kiosk(id: string): Promise<TestKiosk> {
  const store = testStore({ deviceId: id });
  const checkout = await testCheckout(store);
  return { id, store, checkout, agent: connect({ id, store }) };
}

const balanceAt = (k: TestKiosk) => k.checkout.findInvoice("A-1001", null)?.account;

/** How long until `kiosk` shows `balanceMinor`, in milliseconds from `since`. */
async function shows(k: TestKiosk, balanceMinor: number, since: number): Promise<number> {
  await until(() => balanceAt(k)?.balance.minor === balanceMinor, `${k.id} to show ${balanceMinor}`, 5000);
  return performance.now() - since;
}

beforeAll(async () => {
  broker = await startMosquitto();
  database = await createTestDatabase();
  dir = tempDir("spectra-balances-");
  const keyFile = join(dir.path, "command-key.pem");
  writeFileSync(keyFile, keys.privateKeyPem, { mode: 0o600 });
  const config = testConfig({
    deviceId: "central-test",
    dataDir: dir.path,
    central: {
      ...postgresCentral(database.url, broker.url),
      dashboard: { enabled: true, port: 0, commandKeyFile: keyFile },
      integrationApi: { enabled: true, port: 0 },
    },
  });
  central = await startCentral({
    config: config.central,
    kioskBroker: config.sync.broker,
    logger: createMemoryLogger(),
    clock: systemClock,
    settingsCheck: managedSettingsCheck,
  });
  const { version: _version, ...inv } = invoice();
  await importCatalog(
    central.db,
    { clients: [], invoices: [inv], payments: [] },
    { at: new Date().toISOString() },
  );
  a = await kiosk("kiosk-balance-a");
  b = await kiosk("kiosk-balance-b");
  await until(
    async () => {
      const rows = await database.pool.query("SELECT count(*)::int AS n FROM devices WHERE state = 'online'");
      return rows.rows[0].n === 2;
    },
    "both kiosks online at central",
    10_000,
  );
}, 60_000);

afterAll(async () => {
  await a?.agent.stop();
  await b?.agent.stop();
  await central?.stop();
  a?.store.dispose();
  b?.store.dispose();
  await database?.drop();
  await broker?.dispose();
  dir?.remove();
});

describe("central owns the balance: two kiosks, Spectra and central", () => {
  it("a payment at kiosk A lowers the balance kiosk B shows within a second", async () => {
    expect(balanceAt(b)?.balance.minor).toBe(25_000);
    const start = performance.now();
    a.store.ledger.record(cashPayment(5_000), STAFF);
    const ms = await shows(b, 20_000, start);
    console.log(`kiosk A's payment reached kiosk B's balance in ${ms.toFixed(0)} ms`);
    expect(ms).toBeLessThan(1000);
    // A counts its own record once, whether or not central has it yet.
    expect(balanceAt(a)?.balance.minor).toBe(20_000);
    expect(balanceAt(b)?.paidElsewhere.minor).toBe(5_000);
    expect(balanceAt(a)?.paidElsewhere.minor).toBe(0);
  });

  it("a deposit imported from Spectra lowers both kiosks' balances within a second, once", async () => {
    const deposit = {
      reference: "SPECTRA-DEP-77",
      invoiceId: "inv-1",
      kind: "payment" as const,
      amountMinor: 3_000,
      currency: "USD",
      paidOn: "2026-12-01",
      method: "Front desk cash",
    };
    const start = performance.now();
    const first = await importCatalog(
      central.db,
      { clients: [], invoices: [], payments: [deposit] },
      { at: new Date().toISOString() },
    );
    expect(first.paymentsRecorded).toBe(1);
    const ms = await shows(b, 17_000, start);
    console.log(`Spectra's imported deposit reached kiosk B's balance in ${ms.toFixed(0)} ms`);
    expect(ms).toBeLessThan(1000);
    await shows(a, 17_000, start);
    const again = await importCatalog(
      central.db,
      { clients: [], invoices: [], payments: [deposit] },
      { at: new Date().toISOString() },
    );
    expect(again.paymentsRecorded).toBe(0);
    const account = await accountOf(central.db, "inv-1");
    expect(account && accountTotals(account)).toMatchObject({ paidMinor: 8_000, balanceMinor: 17_000 });
  });

  it("a payment posted through the integration API lowers kiosk B's balance within a second", async () => {
    const token = await addIntegrationToken(central.db, "spectra-front-desk", new Date().toISOString());
    const start = performance.now();
    const response = await fetch(`${central.integrationApi?.url}/api/v1/payments`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({
        reference: "SPECTRA-PAY-78",
        invoiceId: "inv-1",
        amountMinor: 2_000,
        currency: "USD",
        paidOn: "2026-12-02",
        method: "Card at the front desk",
      }),
    });
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ recorded: true, account: { balanceMinor: 15_000 } });
    const ms = await shows(b, 15_000, start);
    console.log(`a payment posted through the API reached kiosk B's balance in ${ms.toFixed(0)} ms`);
    expect(ms).toBeLessThan(1000);
  });

  it("kiosk B takes no more than the balance central reported", () => {
    expect(balanceAt(b)?.payable.minor).toBe(15_000);
    expect(() => b.store.ledger.record(manualCardPayment(15_001), CLIENT)).toThrow(
      expect.objectContaining({ code: "PAYMENT_EXCEEDS_BALANCE" }),
    );
  });

  it("two kiosks that both collect the balance while apart end with a credit, on both and at central", async () => {
    await a.agent.stop();
    await b.agent.stop();
    a.store.ledger.record(cashPayment(15_000), STAFF);
    b.store.ledger.record(cashPayment(15_000), STAFF);
    expect(balanceAt(a)?.balance.minor).toBe(0);
    expect(balanceAt(b)?.balance.minor).toBe(0);
    a.agent = connect(a);
    b.agent = connect(b);
    await until(() => balanceAt(a)?.credit.minor === 15_000, "kiosk A to show the credit", 10_000);
    await until(() => balanceAt(b)?.credit.minor === 15_000, "kiosk B to show the credit", 10_000);
    expect(balanceAt(a)).toMatchObject({ paid: { minor: 40_000 }, balance: { minor: 0 } });
    const account = await accountOf(central.db, "inv-1");
    expect(account && accountTotals(account)).toMatchObject({
      paidMinor: 40_000,
      balanceMinor: 0,
      creditMinor: 15_000,
    });
  });

  it("the dashboard shows the credit, with the kiosks and Spectra that took the payments", async () => {
    await addUser(central.db, OPERATOR.name, OPERATOR.password, new Date().toISOString(), { replace: false });
    const { context, page } = await launchChromium(dir.path);
    try {
      await page.goto(`${central.dashboard?.url}/credits`);
      await page.fill("#name", OPERATOR.name);
      await page.fill("#password", OPERATOR.password);
      await page.click('[data-test="sign-in-submit"]');
      await page.waitForSelector('[data-test="credit"][data-invoice="inv-1"]');
      const row = page.locator('[data-test="credit"][data-invoice="inv-1"]');
      expect(await row.locator('[data-test="credit-amount"]').textContent()).toBe("150.00 USD");
      expect(await row.textContent()).toContain("Spectra, kiosk-balance-a, kiosk-balance-b");
      await screenshot(page, dir.path, "dashboard-credits");
    } finally {
      await context.close();
    }
  });

  it("sums at central equal the kiosks'", async () => {
    await until(
      () => a.store.outbox.depth().depth === 0 && b.store.outbox.depth().depth === 0,
      "both outboxes drained",
      10_000,
    );
    await expectDelivered([a.store, b.store], central.db, [a.id, b.id]);
    const account = await accountOf(central.db, "inv-1");
    const kioskPaid = [a, b]
      .flatMap((k) => k.store.records.linesFor("inv-1"))
      .filter((line) => line.kind === "payment" && line.status === "completed")
      .reduce((sum, line) => sum + line.amount.minor, 0);
    // Spectra's two payments (the imported deposit and the one posted through the API) on top.
    expect(account && accountTotals(account).paidMinor).toBe(kioskPaid + 3_000 + 2_000);
  });
});
