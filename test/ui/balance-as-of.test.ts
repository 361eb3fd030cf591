import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newCommandKeyPair } from "../../src/sync/protocol/command-signature.js";
import { sqlOf } from "../helpers/central-queries.js";
import { runCli } from "../helpers/cli-process.js";
import { externalBroker, postgresCentral } from "../helpers/kiosk-config.js";
import { type KioskScreen, startKioskScreen } from "../helpers/kiosk-screen.js";
import { type PrivateMosquitto, startMosquitto } from "../helpers/mosquitto.js";
import { createTestDatabase, type TestDatabase } from "../helpers/postgres.js";
import { MANAGER_PIN, openInvoice, signIn, textOf, waitForText } from "../helpers/staff-screen.js";
import { until } from "../helpers/wait.js";

const DEVICE = "kiosk-ui-balances";
const keys = newCommandKeyPair();

/** What the kiosk holds of central's word on an invoice (paid elsewhere), from its SQLite file. */
function paidElsewhere(file: string, invoiceId: string): number | null {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const row = db
      .prepare("SELECT paid_elsewhere_minor AS paid FROM invoice_accounts WHERE invoice_id = ?")
      .get(invoiceId) as { paid: number } | undefined;
    return row?.paid ?? null;
  } finally {
    db.close();
  }
}

const invoice = (id: string, number: string, lastName: string, amountMinor: number) => ({
  id,
  number,
  client: { id: `cl-${number}`, firstName: "Ana", lastName },
  lines: [{ description: "Portrait session", quantity: 1, amountMinor }],
  currency: "USD",
});

const deposit = (reference: string, invoiceId: string, amountMinor: number) => ({
  reference,
  invoiceId,
  amountMinor,
  currency: "USD",
  paidOn: "2026-12-01",
  method: "Front desk cash",
});

describe("central's balances at the touchscreen, in Chromium", () => {
  let broker: PrivateMosquitto;
  let database: TestDatabase;
  let screen: KioskScreen;
  let keyDir: string;

  beforeAll(async () => {
    broker = await startMosquitto();
    database = await createTestDatabase();
    keyDir = mkdtempSync(join(tmpdir(), "spectra-balance-key-"));
    const keyFile = join(keyDir, "command-key.pem");
    writeFileSync(keyFile, keys.privateKeyPem, { mode: 0o600 });
    screen = await startKioskScreen({
      deviceId: DEVICE,
      sync: { broker: externalBroker(broker.url) },
      central: { ...postgresCentral(database.url, broker.url), dashboard: { commandKeyFile: keyFile } },
      extra: { remote: { commandPublicKey: keys.publicKeyPem } },
    });
    await until(
      async () =>
        (
          await sqlOf(database.pool)
            .query("SELECT 1 FROM devices WHERE state = 'online'")
            .catch(() => [])
        ).length === 1,
      "the kiosk online at central",
      30_000,
    );
    // Spectra's import: two invoices, a deposit on the first, and on the second more than its total
    // (a deposit at the front desk on top of what was collected elsewhere): a credit.
    const file = join(screen.dir, "spectra.json");
    writeFileSync(
      file,
      JSON.stringify({
        invoices: [
          invoice("inv-4001", "4001", "Núñez", 20_000),
          invoice("inv-4002", "4002", "Rossi", 20_000),
          invoice("inv-4003", "4003", "Okafor", 20_000),
        ],
        payments: [deposit("SP-4001", "inv-4001", 5_000), deposit("SP-4002", "inv-4002", 25_000)],
      }),
    );
    const imported = await runCli([
      "central",
      "import",
      file,
      "--config",
      screen.configFile,
      "--no-progress",
    ]);
    expect(imported.code, imported.output).toBe(0);
    await until(
      () =>
        paidElsewhere(screen.databaseFile, "inv-4001") === 5_000 &&
        paidElsewhere(screen.databaseFile, "inv-4002") === 25_000,
      "central's accounts at the kiosk",
      10_000,
    );
  }, 120_000);

  afterAll(async () => {
    await screen?.stop();
    await broker?.dispose();
    await database?.drop();
    rmSync(keyDir, { recursive: true, force: true });
  });

  /** Spectra's import of deposits taken at the front desk: central tells the kiosk within a second. */
  const depositAtFrontDesk = async (reference: string, invoiceId: string, amountMinor: number) => {
    const file = join(screen.dir, `${reference}.json`);
    writeFileSync(file, JSON.stringify({ payments: [deposit(reference, invoiceId, amountMinor)] }));
    const imported = await runCli([
      "central",
      "import",
      file,
      "--config",
      screen.configFile,
      "--no-progress",
    ]);
    expect(imported.code, imported.output).toBe(0);
  };

  const findInvoice = async (number: string, lastName: string): Promise<void> => {
    await screen.tap("start");
    await screen.waitForScreen("self.find");
    await screen.typeKeys(number);
    await screen.tap("field-lastName");
    await screen.typeKeys(lastName);
    await screen.tap("search");
    await screen.waitForScreen("self.summary");
  };

  it("online, the summary counts Spectra's deposit and says nothing about its age", async () => {
    await findInvoice("4001", "NUNEZ");
    expect(await textOf(screen, "paid")).toBe("$50.00");
    expect(await textOf(screen, "balance")).toBe("$150.00");
    expect(await screen.page.getByTestId("balance-as-of").count()).toBe(0);
    await screen.tap("cancel");
    await screen.waitForScreen("self.attract");
  });

  it("staff see the credit on an overpaid invoice", async () => {
    await signIn(screen, MANAGER_PIN);
    await openInvoice(screen, "4002");
    expect(await textOf(screen, "form-credit")).toBe("Credit $50.00: paid beyond the total");
    expect(await textOf(screen, "form-invoice")).toContain("Balance $0.00");
    await screen.shoot("ui-staff-credit");
    await screen.tap("back");
    await screen.waitForScreen("staff.home");
    await screen.tap("sign-out");
    await screen.waitForScreen("self.attract");
  });

  it("a summary on the screen follows a deposit at the front desk with no touch, and so does a typed amount", async () => {
    await findInvoice("4003", "OKAFOR");
    expect(await textOf(screen, "paid")).toBe("$0.00");
    expect(await textOf(screen, "balance")).toBe("$200.00");
    await depositAtFrontDesk("SP-4003-A", "inv-4003", 3_000);
    await waitForText(screen, "balance", "$170.00", 10_000);
    expect(await textOf(screen, "paid")).toBe("$30.00");
    expect(await screen.screenName()).toBe("self.summary");
    // The client types 150.00; meanwhile 50.00 more is paid at the desk: the amount is now too much.
    await screen.tap("pay");
    await screen.waitForScreen("self.amount");
    await screen.typeKeys("15000");
    await waitForText(screen, "amount-entered", "$150.00");
    await depositAtFrontDesk("SP-4003-B", "inv-4003", 5_000);
    await waitForText(screen, "amount-problem", "That is more than the balance of $120.00.", 10_000);
    expect(await textOf(screen, "pay-balance")).toContain("$120.00");
    await screen.tap("back");
    await screen.waitForScreen("self.summary");
    expect(await textOf(screen, "balance")).toBe("$120.00");
    await screen.tap("cancel");
    await screen.waitForScreen("self.attract");
  });

  it("staff's form follows a deposit at the front desk, and marks the amount that is now too much", async () => {
    await signIn(screen, MANAGER_PIN);
    await openInvoice(screen, "4003");
    expect(await textOf(screen, "form-invoice")).toContain("Balance $120.00");
    await depositAtFrontDesk("SP-4003-C", "inv-4003", 2_000);
    await waitForText(screen, "form-invoice", "Balance $100.00", 10_000);
    expect(await textOf(screen, "error-amount")).toBe(
      "This is more than is owed: the most you can pay now is 100.00 USD.",
    );
    await screen.tap("back");
    await screen.waitForScreen("staff.home");
    await screen.tap("sign-out");
    await screen.waitForScreen("self.attract");
  });

  it("offline, the summary says how old the balance is, in English and Spanish, and the amount screen takes no more", async () => {
    await broker.dispose();
    // The status bar says so once the kiosk has lost its connection.
    await screen.page.waitForFunction("!document.body.innerText.includes('Online')", undefined, {
      timeout: 15_000,
    });
    await findInvoice("4001", "NUNEZ");
    expect(await textOf(screen, "balance")).toBe("$150.00");
    expect(await textOf(screen, "balance-as-of")).toMatch(/^Balance as of \d{1,2}:\d{2}\s?[AP]M$/);
    await screen.shoot("ui-self-summary-as-of");
    await screen.tap("pay");
    await screen.waitForScreen("self.amount");
    expect(await textOf(screen, "pay-balance")).toContain("$150.00");
    await screen.tap("back");
    await screen.waitForScreen("self.summary");
    await screen.tap("cancel");
    await screen.waitForScreen("self.attract");
    await screen.tap("locale");
    await screen.page.waitForFunction("document.documentElement.lang === 'es-US'");
    await findInvoice("4001", "NUNEZ");
    expect(await textOf(screen, "balance-as-of")).toMatch(/^Saldo al \d{1,2}:\d{2}/);
    await screen.shoot("ui-self-summary-as-of-es");
  });
});
