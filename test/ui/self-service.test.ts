import { writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_CARDS } from "../../src/drivers/card-reader/fixtures/test-cards.js";
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

const DEVICE = "kiosk-ui-self";

/** The kiosk's own records for an invoice, read from its SQLite file as an operator would. */
function kioskRecords(file: string, invoiceId: string) {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare(
        "SELECT id, amount_minor, status, method_type, method_json, staff_id FROM payment_records WHERE invoice_id = ?",
      )
      .all(invoiceId) as {
      id: string;
      amount_minor: number;
      status: string;
      method_type: string;
      method_json: string;
      staff_id: string | null;
    }[];
  } finally {
    db.close();
  }
}

describe("self-service at the touchscreen, in Chromium", () => {
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
      // As production runs it (lite mode, no WebAssembly): the whole flow works under those flags.
      ...kioskUnitProcess(),
    });
    // The invoices come the way they do in a studio: imported at central, pushed to the kiosk.
    const file = join(screen.dir, "invoices.json");
    writeFileSync(
      file,
      JSON.stringify({
        invoices: [
          {
            id: "inv-2001",
            number: "2001",
            client: { id: "cl-1", firstName: "Ana", lastName: "Núñez" },
            lines: [
              { description: "Portrait session", quantity: 1, amountMinor: 15_000 },
              { description: "8×10 prints", quantity: 3, amountMinor: 4_500 },
            ],
            currency: "USD",
          },
          {
            id: "inv-2002",
            number: "2002",
            client: { id: "cl-2", firstName: "Bo", lastName: "Li" },
            lines: [{ description: "Album", quantity: 1, amountMinor: 30_000 }],
            currency: "USD",
          },
        ],
      }),
    );
    await until(
      async () => {
        const db = sqlOf(database.pool);
        return (await db.query("SELECT 1 FROM devices WHERE state = 'online'").catch(() => [])).length === 1;
      },
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
        return (
          db.prepare("SELECT count(*) AS n FROM invoices").get() !== undefined &&
          (db.prepare("SELECT count(*) AS n FROM invoices").get() as { n: number }).n === 2
        );
      } finally {
        db.close();
      }
    }, "the invoices at the kiosk");
  }, 90_000);

  afterAll(async () => {
    await screen?.stop();
    await broker?.dispose();
    await database?.drop();
    keyDir.remove();
  });

  it("a client finds an invoice, pays by card, and the record is in SQLite and reaches central", async () => {
    await screen.shoot("ui-self-attract");
    await screen.tap("start");
    await screen.waitForScreen("self.find");
    await screen.typeKeys("2001");
    await screen.tap("field-lastName");
    await screen.typeKeys("NUNEZ");
    await screen.shoot("ui-self-find");
    await screen.tap("search");
    await screen.waitForScreen("self.summary");
    await expect.poll(() => screen.page.getByTestId("client-name").textContent()).toBe("Ana Núñez");
    expect(await screen.page.getByTestId("balance").textContent()).toBe("$195.00");
    await screen.shoot("ui-self-summary");

    await screen.tap("pay");
    await screen.waitForScreen("self.amount");
    await screen.typeKeys("10000");
    await screen.shoot("ui-self-amount");
    await screen.tap("confirm");
    await screen.waitForScreen("self.method");
    await screen.shoot("ui-self-method");
    await screen.tap("method-cash");
    await screen.waitForScreen("self.see-staff");
    await screen.shoot("ui-self-see-staff");
    await screen.tap("back");
    await screen.waitForScreen("self.method");
    await screen.tap("method-card");
    await screen.waitForScreen("self.swipe");
    await screen.shoot("ui-self-swipe");

    await screen.swipe(TEST_CARDS.visa);
    await screen.waitForScreen("self.receipt");
    expect(await screen.page.getByTestId("approved").textContent()).toContain("$100.00");
    await screen.shoot("ui-self-receipt");
    await screen.tap("print");
    await screen.waitForScreen("self.thank-you");
    expect(await screen.page.getByTestId("balance-remaining").textContent()).toContain("$95.00");
    await screen.shoot("ui-self-thank-you");

    const [record, ...others] = kioskRecords(screen.databaseFile, "inv-2001");
    expect(others).toEqual([]);
    expect(record).toMatchObject({
      amount_minor: 10_000,
      status: "completed",
      method_type: "card",
      staff_id: null,
    });
    const method = JSON.parse(record?.method_json ?? "{}") as Record<string, unknown>;
    expect(method).toMatchObject({ entryMode: "swiped", maskedPan: "411111******1111" });
    // Only the masked number is kept: the full number is nowhere in the record.
    expect(record?.method_json).not.toContain(TEST_CARDS.visa.pan);

    const db = sqlOf(database.pool);
    await until(
      async () => (await centralRecord(db, record?.id ?? "")) !== null,
      "the record at central",
      20_000,
    );
    const central = await centralRecord(db, record?.id ?? "");
    expect(central).toMatchObject({
      invoiceId: "inv-2001",
      amount: { minor: 10_000, currency: "USD" },
      status: "completed",
    });

    await screen.tap("done");
    await screen.waitForScreen("self.attract");
  }, 60_000);

  it("a declined card shows its reason, and a second card succeeds", async () => {
    await screen.tap("start");
    await screen.waitForScreen("self.find");
    await screen.typeKeys("2002");
    await screen.tap("field-lastName");
    await screen.typeKeys("LI");
    await screen.tap("search");
    await screen.waitForScreen("self.summary");
    await screen.tap("pay");
    await screen.waitForScreen("self.amount");
    await screen.tap("pay-balance");
    await screen.waitForScreen("self.method");
    await screen.tap("method-card");
    await screen.waitForScreen("self.swipe");

    await screen.swipe(DEV_CARDS.declined);
    await screen.page.waitForSelector('[data-phase="declined"]');
    expect(await screen.page.getByTestId("swipe-reason").textContent()).toBe(
      "Your bank declined the card. Please try another card.",
    );
    await screen.shoot("ui-self-declined");

    await screen.swipe(DEV_CARDS.approved);
    await screen.waitForScreen("self.receipt");
    expect(await screen.page.getByTestId("approved").textContent()).toContain("$300.00");
    await screen.tap("no-receipt");
    await screen.waitForScreen("self.thank-you");
    expect(await screen.page.getByTestId("balance-remaining").textContent()).toContain("paid in full");

    const records = kioskRecords(screen.databaseFile, "inv-2002");
    expect(records.map((record) => record.status).sort()).toEqual(["completed", "declined"]);
    for (const record of records) {
      expect(record.method_json).not.toContain(DEV_CARDS.declined.pan);
      expect(record.method_json).not.toContain(DEV_CARDS.approved.pan);
    }
  }, 60_000);
});
