import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type RunningStripeSimulator,
  startStripeSimulator,
} from "../../src/processors/stripe-simulator/stripe-simulator.js";
import { KIOSK_GRANT } from "../fixtures/stripe-test-cards.js";
import { centralRecord, sqlOf } from "../helpers/central-queries.js";
import { externalBroker, postgresCentral } from "../helpers/kiosk-config.js";
import { type KioskScreen, startKioskScreen } from "../helpers/kiosk-screen.js";
import { scratchDir } from "../helpers/kiosk-store.js";
import { type PrivateMosquitto, startMosquitto } from "../helpers/mosquitto.js";
import { invoice } from "../helpers/payments.js";
import { freePort } from "../helpers/ports.js";
import { createTestDatabase, type TestDatabase } from "../helpers/postgres.js";
import { MANAGER_PIN, openInvoice, signIn } from "../helpers/staff-screen.js";
import { until } from "../helpers/wait.js";

const DEVICE = "kiosk-ui-phone";
const INVOICE = invoice({
  id: "inv-4001",
  number: "4001",
  client: { id: "cl-41", firstName: "Lena", lastName: "Berg" },
  lines: [{ description: "Wedding album", quantity: 1, amountMinor: 48_000 }],
  totalMinor: 48_000,
});
const SECOND = invoice({
  id: "inv-4002",
  number: "4002",
  client: { id: "cl-42", firstName: "Jun", lastName: "Kim" },
  lines: [{ description: "Passport photos", quantity: 1, amountMinor: 7_500 }],
  totalMinor: 7_500,
});
const THIRD = invoice({
  id: "inv-4003",
  number: "4003",
  client: { id: "cl-43", firstName: "Ines", lastName: "Mora" },
  lines: [{ description: "Canvas print", quantity: 1, amountMinor: 21_000 }],
  totalMinor: 21_000,
});
const WEBHOOK_SECRET = "whsec_spectra_test_phone_0123456789";

function ownerOnly(path: string, text: string): string {
  writeFileSync(path, text);
  chmodSync(path, 0o600);
  return path;
}

describe("a client pays an invoice on their phone through the QR code, in Chromium", () => {
  let broker: PrivateMosquitto;
  let database: TestDatabase;
  let stripe: RunningStripeSimulator;
  let screen: KioskScreen;
  const secrets = scratchDir("spectra-phone-secrets-");

  beforeAll(async () => {
    broker = await startMosquitto();
    database = await createTestDatabase();
    stripe = await startStripeSimulator();
    const webhookPort = await freePort();
    // Stripe's endpoint for this studio points at central's webhook URL, signed with its secret.
    stripe.addWebhookEndpoint(
      `http://127.0.0.1:${webhookPort}/stripe/webhook`,
      ["checkout.session.completed", "checkout.session.expired"],
      WEBHOOK_SECRET,
    );
    screen = await startKioskScreen({
      deviceId: DEVICE,
      invoices: [INVOICE, SECOND, THIRD],
      sync: { broker: externalBroker(broker.url) },
      central: {
        ...postgresCentral(database.url, broker.url),
        stripe: {
          webhook: { host: "127.0.0.1", port: webhookPort },
          webhookSecretFile: ownerOnly(join(secrets.path, "webhook.secret"), WEBHOOK_SECRET),
        },
      },
      extra: {
        processor: {
          kind: "stripe",
          apiKeyFile: ownerOnly(join(secrets.path, "stripe.key"), stripe.restrictedKey(KIOSK_GRANT)),
          endpoint: { host: stripe.host, port: stripe.port, protocol: "http" },
          // The page is read once a minute: only the webhook, through central, makes it known sooner.
          payLink: { lifetimeMinutes: 30, pollMs: 60_000 },
        },
      },
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
  }, 90_000);

  afterAll(async () => {
    await screen?.stop();
    await stripe?.close();
    await broker?.dispose();
    await database?.drop();
    secrets.remove();
  });

  it("shows the code, the client pays on a second page, and the kiosk shows it paid within 2 s of the webhook", async () => {
    await screen.tap("start");
    await screen.waitForScreen("self.find");
    await screen.typeKeys("4001");
    await screen.tap("field-lastName");
    await screen.typeKeys("BERG");
    await screen.tap("search");
    await screen.waitForScreen("self.summary");
    await screen.shoot("ui-self-summary-phone");
    await screen.tap("pay-phone");
    await screen.waitForScreen("self.phone");
    const phase = () => screen.page.getByTestId("phone-phase").getAttribute("data-phase");
    await expect.poll(phase, { timeout: 10_000 }).toBe("waiting");
    expect(await screen.page.getByTestId("phone-waiting").textContent()).toContain(
      "Waiting for payment on your phone",
    );
    await screen.page.getByTestId("pay-qr").waitFor();
    await screen.shoot("ui-self-phone-qr");

    // The client's phone: the page the code points at (the simulator's hosted Checkout).
    const [session] = [...stripe.books.sessions.values()].filter(
      (each) => each.metadata?.device_id === DEVICE,
    );
    expect(session?.amount_total).toBe(48_000);
    const phone = await screen.context.newPage();
    await phone.goto(session?.url as string);
    expect(await phone.getByTestId("amount").textContent()).toBe("$480.00");
    await phone.fill("#number", "4242 4242 4242 4242");
    await phone.click("button[type=submit]");
    await phone.getByTestId("outcome").waitFor();
    await phone.close();

    await until(
      () => stripe.deliveries.some((each) => each.event.type === "checkout.session.completed"),
      "the webhook at central",
      10_000,
    );
    const webhookAt =
      stripe.deliveries.find((each) => each.event.type === "checkout.session.completed")?.atMs ?? 0;
    await screen.waitForScreen("self.receipt", 5_000);
    const shownAfterMs = Date.now() - webhookAt;
    console.info(`pay by phone: receipt on screen ${shownAfterMs} ms after central took the webhook`);
    expect(shownAfterMs).toBeLessThan(2_000);
    expect(await screen.page.getByTestId("approved").textContent()).toContain("$480.00");
    await screen.shoot("ui-self-phone-paid");

    const db = new Database(screen.databaseFile, { readonly: true });
    const records = db
      .prepare("SELECT id, status, amount_minor, method_json FROM payment_records WHERE invoice_id = ?")
      .all(INVOICE.id) as { id: string; status: string; amount_minor: number; method_json: string }[];
    db.close();
    expect(records.map((record) => record.status)).toEqual(["completed"]);
    const method = JSON.parse(records[0]?.method_json ?? "{}") as Record<string, unknown>;
    expect(method).toMatchObject({ entryMode: "keyed", maskedPan: null });
    expect(stripe.books.paymentIntents.get(String(method.processorReference))?.status).toBe("succeeded");
    const central = sqlOf(database.pool);
    await until(
      async () => (await centralRecord(central, records[0]?.id ?? "")) !== null,
      "the record at central",
      20_000,
    );
  }, 90_000);

  it("a client who chooses another way closes the page: nothing recorded as paid, a late payment refused", async () => {
    await screen.tap("no-receipt");
    await screen.waitForScreen("self.thank-you");
    await screen.tap("done");
    await screen.waitForScreen("self.attract");
    await screen.tap("start");
    await screen.waitForScreen("self.find");
    await screen.typeKeys("4002");
    await screen.tap("field-lastName");
    await screen.typeKeys("KIM");
    await screen.tap("search");
    await screen.waitForScreen("self.summary");
    await screen.tap("pay-phone");
    const phase = () => screen.page.getByTestId("phone-phase").getAttribute("data-phase");
    await expect.poll(phase, { timeout: 10_000 }).toBe("waiting");
    await screen.tap("cancel");
    await screen.waitForScreen("self.summary");
    const session = [...stripe.books.sessions.values()].find(
      (each) => each.client_reference_id !== null && each.amount_total === 7_500,
    );
    expect(session?.status).toBe("expired");
    const late = await fetch(`${stripe.url}/c/pay/${session?.id}`, {
      method: "POST",
      body: new URLSearchParams({ number: "4242424242424242", exp: "12/34", cvc: "123" }),
    });
    expect(late.status).toBe(410);
    const db = new Database(screen.databaseFile, { readonly: true });
    const statuses = db.prepare("SELECT status FROM payment_records WHERE invoice_id = ?").all(SECOND.id);
    db.close();
    expect(statuses).toEqual([{ status: "declined" }]);
  }, 60_000);

  it("staff show a QR code at the desk; the client pays on the phone and the desk shows it saved", async () => {
    for (let step = 0; step < 4 && (await screen.screenName()) !== "self.attract"; step += 1) {
      const name = await screen.screenName();
      await screen.tap(name === "self.summary" ? "cancel" : "back");
      await screen.page.waitForFunction(`document.body.dataset.screen !== ${JSON.stringify(name)}`);
    }
    await signIn(screen, MANAGER_PIN);
    await openInvoice(screen, "4003");
    await screen.tap("method-card");
    // No smart reader here: the card-type menu opens first.
    await screen.page.getByTestId("card-type-menu").waitFor();
    await screen.tap("card-type-Visa");
    await screen.tap("pay-phone");
    await screen.waitForScreen("staff.phone");
    await expect
      .poll(() => screen.page.getByTestId("phone-phase").getAttribute("data-phase"), { timeout: 10_000 })
      .toBe("waiting");
    await screen.page.getByTestId("pay-qr").waitFor();
    await screen.shoot("ui-staff-phone-qr");
    const session = [...stripe.books.sessions.values()].find((each) => each.amount_total === 21_000);
    const phone = await screen.context.newPage();
    await phone.goto(session?.url as string);
    await phone.fill("#number", "5555555555554444");
    await phone.click("button[type=submit]");
    await phone.getByTestId("outcome").waitFor();
    await phone.close();
    await screen.waitForScreen("staff.saved", 5_000);
    const db = new Database(screen.databaseFile, { readonly: true });
    const rows = db
      .prepare("SELECT status, staff_id FROM payment_records WHERE invoice_id = ?")
      .all(THIRD.id);
    db.close();
    expect(rows).toEqual([{ status: "completed", staff_id: "mgr" }]);
  }, 60_000);
});
