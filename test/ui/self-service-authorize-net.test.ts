import { writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_CARDS } from "../../src/drivers/card-reader/fixtures/test-cards.js";
import { invoiceReference } from "../../src/processors/authorize-net/invoice-reference.js";
import { DEV_CARDS } from "../../src/ui/server/fixtures/dev-cards.js";
import { centralRecord, sqlOf } from "../helpers/central-queries.js";
import { runCli } from "../helpers/cli-process.js";
import { externalBroker, postgresCentral, testCommandKey } from "../helpers/kiosk-config.js";
import { type KioskScreen, startKioskScreen } from "../helpers/kiosk-screen.js";
import { scratchDir } from "../helpers/kiosk-store.js";
import { kioskUnitProcess } from "../helpers/kiosk-unit.js";
import { type PrivateMosquitto, startMosquitto } from "../helpers/mosquitto.js";
import { createTestDatabase, type TestDatabase } from "../helpers/postgres.js";
import { until } from "../helpers/wait.js";

const DEVICE = "kiosk-ui-authnet";

function kioskRecords(file: string, invoiceId: string) {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare(
        "SELECT id, amount_minor, status, decline_code, method_json FROM payment_records WHERE invoice_id = ? ORDER BY created_at, id",
      )
      .all(invoiceId) as {
      id: string;
      amount_minor: number;
      status: string;
      decline_code: string | null;
      method_json: string;
    }[];
  } finally {
    db.close();
  }
}

/**
 * A client pays at the touchscreen, the kiosk charging through the Authorize.Net processor (as
 * production runs it: the unit's Node flags, TLS, the transaction key in the kiosk's secret store)
 * against the Authorize.Net simulator: swipes on the reader's pty approved, declined, then approved,
 * each record at central with Authorize.Net's transaction id.
 */
describe("self-service through Authorize.Net, in Chromium", () => {
  let broker: PrivateMosquitto;
  let database: TestDatabase;
  let screen: KioskScreen;
  const keyDir = scratchDir("spectra-central-key-");

  beforeAll(async () => {
    broker = await startMosquitto();
    database = await createTestDatabase();
    const key = testCommandKey(keyDir.path);
    screen = await startKioskScreen({
      deviceId: DEVICE,
      sync: { broker: externalBroker(broker.url) },
      // Central signs the catalog pages it sends the kiosk; the kiosk trusts its key.
      central: { ...postgresCentral(database.url, broker.url), dashboard: { commandKeyFile: key.keyFile } },
      extra: { remote: key.remote },
      ...kioskUnitProcess(),
    });
    const file = join(screen.dir, "invoices.json");
    writeFileSync(
      file,
      JSON.stringify({
        invoices: [
          {
            id: "inv-3001",
            number: "3001",
            client: { id: "cl-31", firstName: "Ines", lastName: "Park" },
            lines: [{ description: "Family session", quantity: 1, amountMinor: 40_000 }],
            currency: "USD",
          },
        ],
      }),
    );
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
    const imported = await runCli([
      "central",
      "import",
      file,
      "--config",
      screen.configFile,
      "--no-progress",
    ]);
    expect(imported.code, imported.output).toBe(0);
    await until(() => {
      const db = new Database(screen.databaseFile, { readonly: true });
      try {
        return (db.prepare("SELECT count(*) AS n FROM invoices").get() as { n: number }).n === 1;
      } finally {
        db.close();
      }
    }, "the invoice at the kiosk");
  }, 90_000);

  afterAll(async () => {
    await screen?.stop();
    await broker?.dispose();
    await database?.drop();
    keyDir.remove();
  });

  async function toSwipe(amountKeys: string | null): Promise<void> {
    await screen.tap("start");
    await screen.waitForScreen("self.find");
    await screen.typeKeys("3001");
    await screen.tap("field-lastName");
    await screen.typeKeys("PARK");
    await screen.tap("search");
    await screen.waitForScreen("self.summary");
    await screen.tap("pay");
    await screen.waitForScreen("self.amount");
    if (amountKeys === null) await screen.tap("pay-balance");
    else {
      await screen.typeKeys(amountKeys);
      await screen.tap("confirm");
    }
    await screen.waitForScreen("self.method");
    await screen.tap("method-card");
    await screen.waitForScreen("self.swipe");
  }

  async function finish(): Promise<void> {
    await screen.waitForScreen("self.receipt");
    await screen.tap("no-receipt");
    await screen.waitForScreen("self.thank-you");
    await screen.tap("done");
    await screen.waitForScreen("self.attract");
  }

  it("charges a swipe, declines the next, approves the one after, and every record reaches central", async () => {
    await toSwipe("15000");
    await screen.swipe(TEST_CARDS.visa);
    await finish();

    await toSwipe(null);
    await screen.swipe(DEV_CARDS.declined);
    await screen.page.waitForSelector('[data-phase="declined"]');
    expect(await screen.page.getByTestId("swipe-reason").textContent()).toBe(
      "Your bank declined the card. Please try another card.",
    );
    await screen.swipe(TEST_CARDS.mastercard);
    await screen.waitForScreen("self.receipt");
    expect(await screen.page.getByTestId("approved").textContent()).toContain("$250.00");

    const records = kioskRecords(screen.databaseFile, "inv-3001");
    expect(records.map((record) => [record.status, record.amount_minor, record.decline_code])).toEqual([
      ["completed", 15_000, null],
      ["declined", 25_000, "PROCESSOR_DECLINED"],
      ["completed", 25_000, null],
    ]);
    // Authorize.Net holds one charge per approved record, found by the record's reference.
    const books = screen.processor.books;
    for (const record of records) {
      expect(record.method_json).not.toContain(TEST_CARDS.visa.pan);
      expect(record.method_json).not.toContain(DEV_CARDS.declined.pan);
      const made = [...(books?.transactions.values() ?? [])].filter(
        (transaction) => transaction.invoiceNumber === invoiceReference(`sale:${record.id}`),
      );
      expect(made.map((transaction) => transaction.status)).toEqual(
        record.status === "completed" ? ["capturedPendingSettlement"] : ["declined"],
      );
      if (record.status === "completed") {
        expect(JSON.parse(record.method_json).processorReference).toBe(made[0]?.transId);
      }
    }
    const db = sqlOf(database.pool);
    for (const record of records) {
      await until(async () => (await centralRecord(db, record.id)) !== null, "the record at central", 20_000);
      expect(await centralRecord(db, record.id)).toMatchObject({ status: record.status });
    }
  }, 90_000);
});
