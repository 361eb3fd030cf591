import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectDueOffSession } from "../../src/central/collections/off-session-collector.js";
import { stripeOffSession } from "../../src/central/collections/stripe-off-session.js";
import type { CentralDb } from "../../src/central/db/central-db.js";
import { postgresPool } from "../../src/central/db/postgres-db.js";
import { fixedClock, systemClock } from "../../src/core/clock.js";
import { createMemoryLogger } from "../../src/core/logger.js";
import { studioToday } from "../../src/payments/studio-date.js";
import {
  type RunningStripeSimulator,
  startStripeSimulator,
} from "../../src/processors/stripe-simulator/stripe-simulator.js";
import { openKioskStore } from "../../src/store/kiosk-store.js";
import { KIOSK_GRANT } from "../fixtures/stripe-test-cards.js";
import { cardDraft } from "../helpers/card-payments.js";
import { centralRecord } from "../helpers/central-queries.js";
import { externalBroker, postgresCentral } from "../helpers/kiosk-config.js";
import { type KioskScreen, startKioskScreen } from "../helpers/kiosk-screen.js";
import { scratchDir } from "../helpers/kiosk-store.js";
import { type PrivateMosquitto, startMosquitto } from "../helpers/mosquitto.js";
import { invoice } from "../helpers/payments.js";
import { createTestDatabase, type TestDatabase } from "../helpers/postgres.js";
import {
  kioskQuery,
  kioskRecords,
  MANAGER_PIN,
  openInvoice,
  signIn,
  waitForText,
} from "../helpers/staff-screen.js";
import { ledgerOn, SETTINGS } from "../helpers/store.js";
import { until } from "../helpers/wait.js";

const DEVICE = "kiosk-ui-collect";
const TIME_ZONE = "America/Denver";
const PAYS = { id: "cl-61", firstName: "Noor", lastName: "Haddad" };
const NEEDS_CLIENT = { id: "cl-62", firstName: "Teo", lastName: "Brandt" };
const PLAN = invoice({
  id: "inv-6001",
  number: "6001",
  client: PAYS,
  lines: [{ description: "Family session, second half", quantity: 1, amountMinor: 12_000 }],
  totalMinor: 12_000,
});
const OTHER = invoice({
  id: "inv-6002",
  number: "6002",
  client: NEEDS_CLIENT,
  lines: [{ description: "Framed print", quantity: 1, amountMinor: 9_000 }],
  totalMinor: 9_000,
});

function ownerOnly(path: string, text: string): string {
  writeFileSync(path, text);
  chmodSync(path, 0o600);
  return path;
}

/**
 * Central collects a due future card payment off-session and the record reaches the kiosk, end to
 * end: the kiosk process on Stripe (the simulator, its restricted key) with its touchscreen in
 * Chromium, synced over a private Mosquitto to central's PostgreSQL; central's collection round
 * (called here, with the studio's full key) charges the client's saved card; the kiosk's background
 * card round reads that charge at Stripe and completes its record, which syncs back to central.
 *
 * The saved cards (with the client's consent) and the two card payments staff promised yesterday for
 * today are written through the kiosk's own store and ledger before it starts, as checkout writes
 * them (the staff form takes no due date of today; saving at the reader and the staff form are
 * proven in saved-cards.test.ts and staff-payments.test.ts).
 */
describe("central collects a due future payment off-session; the kiosk applies it, in Chromium", () => {
  let broker: PrivateMosquitto;
  let database: TestDatabase;
  let central: CentralDb;
  let stripe: RunningStripeSimulator;
  let admin: Stripe;
  let screen: KioskScreen;
  let ids: { paid: string; needsClient: string };
  const secrets = scratchDir("spectra-collect-secrets-");
  const today = studioToday(new Date(), TIME_ZONE);

  /** A client's card saved at Stripe: a test PaymentMethod on their customer, as the reader leaves it. */
  async function savedAtStripe(clientId: string, testMethod: string): Promise<Stripe.PaymentMethod> {
    const customer = await admin.customers.create({ metadata: { spectra_client_id: clientId } });
    return admin.paymentMethods.attach(testMethod, { customer: customer.id });
  }

  beforeAll(async () => {
    broker = await startMosquitto();
    database = await createTestDatabase();
    central = postgresPool({ url: database.url, poolSize: 2, logger: createMemoryLogger() });
    stripe = await startStripeSimulator();
    admin = new Stripe(stripe.secretKey, { host: stripe.host, port: stripe.port, protocol: "http" });
    const cards = [
      { client: PAYS, method: await savedAtStripe(PAYS.id, "pm_card_visa") },
      {
        client: NEEDS_CLIENT,
        method: await savedAtStripe(NEEDS_CLIENT.id, "pm_card_authenticationRequired"),
      },
    ];
    screen = await startKioskScreen({
      deviceId: DEVICE,
      invoices: [PLAN, OTHER],
      sync: { broker: externalBroker(broker.url) },
      central: postgresCentral(database.url, broker.url),
      extra: {
        processor: {
          kind: "stripe",
          apiKeyFile: ownerOnly(join(secrets.path, "stripe.key"), stripe.restrictedKey(KIOSK_GRANT)),
          endpoint: { host: stripe.host, port: stripe.port, protocol: "http" },
        },
      },
      prepareData: (_dir, databaseFile) => {
        const store = openKioskStore({
          path: databaseFile,
          deviceId: DEVICE,
          clock: systemClock,
          logger: createMemoryLogger(),
        });
        try {
          const at = new Date().toISOString();
          for (const { client, method } of cards)
            store.savedCards.save(
              client.id,
              {
                token: method.id,
                brand: "Visa",
                last4: method.card?.last4 ?? "0000",
                expiry: { month: 12, year: 2034 },
              },
              at,
              { by: "client", at },
            );
          // Promised yesterday for today: a future payment's due date is after the day it is recorded.
          const dayBefore = new Date(Date.parse(`${today}T12:00:00Z`) - 86_400_000).toISOString();
          const yesterday = fixedClock(`${dayBefore.slice(0, 10)}T19:00:00Z`); // midday in Denver
          const ledger = ledgerOn(
            store,
            { ...SETTINGS, deviceId: DEVICE, processorKind: "gateway" },
            yesterday,
          );
          const promise = (invoiceId: string, amountMinor: number) =>
            ledger.record(
              cardDraft(amountMinor, {
                invoiceId,
                futurePayment: true,
                dueDate: today,
                methodFields: { type: "card", entryMode: "keyed" },
              }),
              { kind: "staff", staffId: "mgr" },
            ).id;
          ids = { paid: promise(PLAN.id, 12_000), needsClient: promise(OTHER.id, 9_000) };
        } finally {
          store.close();
        }
      },
    });
  }, 90_000);

  afterAll(async () => {
    await screen?.stop();
    await central?.close();
    await stripe?.close();
    await broker?.dispose();
    await database?.drop();
    secrets.remove();
  });

  const centralRound = () =>
    collectDueOffSession({
      db: central,
      charger: stripeOffSession(
        new Stripe(stripe.secretKey, {
          host: stripe.host,
          port: stripe.port,
          protocol: "http",
          maxNetworkRetries: 0,
        }),
      ),
      schedule: { retryIntervalHours: 24, maxAttempts: 3 },
      logger: createMemoryLogger(),
      now: () => new Date(),
      today: () => today,
    });
  const kioskRow = (id: string) => kioskRecords(screen.databaseFile).find((row) => row.id === id);
  const intentsFor = (recordId: string) =>
    [...stripe.books.paymentIntents.values()].filter((intent) => intent.metadata.record_id === recordId);

  it("charges the saved card once with the full key; the kiosk completes its record, shows it, and central gets it back", async () => {
    // The scheduled records and the saved cards reach central over MQTT before anything is due there.
    await until(
      async () => (await centralRecord(central, ids.paid))?.status === "scheduled",
      "the scheduled record at central",
      30_000,
    );
    await until(
      async () => (await central.query("SELECT 1 FROM saved_cards WHERE consent_by = 'client'")).length === 2,
      "the saved cards at central",
      30_000,
    );
    await until(
      async () => (await centralRecord(central, ids.needsClient))?.status === "scheduled",
      "the second scheduled record at central",
      30_000,
    );
    await signIn(screen, MANAGER_PIN);
    await openInvoice(screen, PLAN.number);
    await waitForText(screen, "form-invoice", "Balance $120.00 · paid $0.00");

    expect(await centralRound()).toMatchObject({ charged: 1, authenticationRequired: 1 });
    const charged = intentsFor(ids.paid);
    expect(charged).toHaveLength(1);
    expect(charged[0]).toMatchObject({
      status: "succeeded",
      amount: 12_000,
      metadata: { spectra_key: `collect:${ids.paid}:1`, device_id: DEVICE },
    });
    const created = stripe.books.events.filter(
      (event) =>
        event.type === "payment_intent.created" &&
        (event.data.object as { id: string }).id === charged[0]?.id,
    );
    expect(created.map((event) => event.request?.idempotency_key)).toEqual([`collect:${ids.paid}:1`]);

    // The kiosk's background card round (every 30 s) reads the charge at Stripe with its own key.
    await until(
      () => kioskRow(ids.paid)?.status === "completed",
      "the record completed on the kiosk",
      60_000,
    );
    const row = kioskRow(ids.paid);
    expect(row).toMatchObject({ amount_minor: 12_000, method_type: "card", future_payment: 1 });
    expect(row?.payment_date).toBe(today);
    expect(JSON.parse(String(row?.method_json))).toMatchObject({
      type: "card",
      processorReference: charged[0]?.id,
    });
    expect(intentsFor(ids.paid)).toHaveLength(1);

    // The staff screen: the invoice now shows it paid.
    await screen.tap("back");
    await screen.waitForScreen("staff.home");
    await openInvoice(screen, PLAN.number);
    await waitForText(screen, "form-invoice", "Balance $0.00 · paid $120.00");
    await screen.shoot("ui-staff-central-collected");

    // The completed revision reaches central over MQTT.
    await until(
      async () => (await centralRecord(central, ids.paid))?.status === "completed",
      "the completed record at central",
      30_000,
    );
    const atCentral = await centralRecord(central, ids.paid);
    const [kioskRevision] = kioskQuery<{ revision: number }>(
      screen.databaseFile,
      `SELECT revision FROM payment_records WHERE id = '${ids.paid}'`,
    );
    expect(atCentral?.revision).toBe(kioskRevision?.revision);
    expect(atCentral?.paymentDate).toBe(today);
    await screen.tap("back");
    await screen.waitForScreen("staff.home");
  }, 150_000);

  it("a card that needs the client's authentication: on Needs attention with its payment link, still scheduled", async () => {
    const [attempt] = await central.query<{ pay_link_url: string }>(
      "SELECT pay_link_url FROM off_session_collections WHERE record_id = $1",
      [ids.needsClient],
    );
    expect(attempt?.pay_link_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    expect(intentsFor(ids.needsClient).map((intent) => intent.status)).not.toContain("succeeded");
    expect(kioskRow(ids.needsClient)?.status).toBe("scheduled");
    await screen.tap("home-attention");
    await screen.waitForScreen("staff.attention");
    await screen.page.getByTestId(`attention-${ids.needsClient}`).waitFor();
    await waitForText(screen, `pay-link-${ids.needsClient}`, String(attempt?.pay_link_url));
    expect(await screen.page.getByTestId(`attention-${ids.paid}`).count()).toBe(0);
    await screen.shoot("ui-staff-central-authentication");
  }, 60_000);
});
