import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectDueOffSession } from "../../src/central/collections/off-session-collector.js";
import { stripeOffSession } from "../../src/central/collections/stripe-off-session.js";
import type { CentralDb } from "../../src/central/db/central-db.js";
import { postgresPool } from "../../src/central/db/postgres-db.js";
import { migrateCentral } from "../../src/central/migrate.js";
import { attentionItems } from "../../src/checkout/attention.js";
import { applyCentralCollections } from "../../src/checkout/cards/central-collections.js";
import { createMemoryLogger } from "../../src/core/logger.js";
import type { PaymentRecord } from "../../src/payments/payment-record.js";
import { stripeCollectionTries } from "../../src/processors/stripe/collection-tries.js";
import { stripeClient } from "../../src/processors/stripe/stripe-client.js";
import { stripeProcessor } from "../../src/processors/stripe/stripe-processor.js";
import { KIOSK_KEY_GRANT } from "../../src/processors/stripe-simulator/kiosk-grant.js";
import {
  type RunningStripeSimulator,
  startStripeSimulator,
} from "../../src/processors/stripe-simulator/stripe-simulator.js";
import { cardDraft } from "../helpers/card-payments.js";
import { STAFF } from "../helpers/payments.js";
import { createTestDatabase, type TestDatabase } from "../helpers/postgres.js";
import { type TestStore, testStore } from "../helpers/store.js";

/**
 * A due future payment collected by central while the kiosk is off, then applied by the kiosk: real
 * PostgreSQL for central, the Stripe simulator for Stripe (central with the full key, the kiosk with
 * its restricted key, both through the official SDK), the kiosk's own SQLite store. The kiosk reads
 * what central did at Stripe, never from a message alone, and its record completes like any other.
 */
describe("central collects a due payment off-session; the kiosk applies it", () => {
  let database: TestDatabase;
  let central: CentralDb;
  let simulator: RunningStripeSimulator;
  let store: TestStore;
  let admin: Stripe;

  beforeAll(async () => {
    database = await createTestDatabase();
    central = postgresPool({ url: database.url, poolSize: 2, logger: createMemoryLogger() });
    await migrateCentral(central, createMemoryLogger());
    simulator = await startStripeSimulator();
    admin = new Stripe(simulator.secretKey, { host: simulator.host, port: simulator.port, protocol: "http" });
    store = testStore({ processorKind: "gateway" });
  }, 30_000);
  afterAll(async () => {
    store?.dispose();
    await central?.close();
    await database?.drop();
    await simulator?.close();
  });

  const endpoint = () => ({ host: simulator.host, port: simulator.port, protocol: "http" as const });
  const kioskStripe = () =>
    stripeClient({
      apiKey: simulator.restrictedKey(KIOSK_KEY_GRANT),
      endpoint: endpoint(),
      timeoutMs: 2_000,
    });

  /** What ingest would hold at central: the kiosk's scheduled record and the client's saved card. */
  async function atCentral(record: PaymentRecord, testMethod: string): Promise<void> {
    const customer = await admin.customers.create({ metadata: { spectra_client_id: record.clientId } });
    const method = await admin.paymentMethods.attach(testMethod, { customer: customer.id });
    await central.query(
      `INSERT INTO saved_cards (token, device_id, client_id, brand, last4, exp_month, exp_year, created_at, received_at)
       VALUES ($1, $2, $3, 'Visa', '4242', 12, 2030, now() - interval '1 minute', now())`,
      [method.id, record.deviceId, record.clientId],
    );
    await central.query(
      `INSERT INTO payment_records (id, revision, device_id, kind, invoice_id, invoice_number, client_id,
         amount_minor, currency, refundable, future_payment, due_date, method_id, method_name, method_type,
         method, status, created_at, updated_at, content_hash, received_at)
       VALUES ($1, 1, $2, 'payment', $3, '1001', $4, $5, 'USD', false, true, $6::date, 'card', 'Credit Card',
         'card', '{"type":"card"}'::jsonb, 'scheduled', now(), now(), 'hash', now())`,
      [record.id, record.deviceId, record.invoiceId, record.clientId, record.amount.minor, record.dueDate],
    );
  }

  const futureCard = (amountMinor: number, dueDate: string) =>
    store.ledger.record(
      cardDraft(amountMinor, {
        futurePayment: true,
        dueDate,
        methodFields: { type: "card", entryMode: "keyed" },
      }),
      STAFF,
    );

  const centralRound = () =>
    collectDueOffSession({
      db: central,
      charger: stripeOffSession(new Stripe(simulator.secretKey, { ...endpoint(), maxNetworkRetries: 0 })),
      schedule: { retryIntervalHours: 24, maxAttempts: 3 },
      logger: createMemoryLogger(),
      now: () => store.clock.now(),
      today: () => store.clock.now().toISOString().slice(0, 10),
    });

  const kioskRound = () =>
    applyCentralCollections({
      store,
      collections: stripeCollectionTries(kioskStripe(), () => store.clock.now().getTime()),
      processor: stripeProcessor({
        stripe: kioskStripe(),
        logger: createMemoryLogger(),
        timing: { pollMs: 50, collectTimeoutMs: 5_000 },
        lookupWindowHours: 48,
        currency: "USD",
      }),
      clock: store.clock,
      timeZone: "UTC",
      logger: createMemoryLogger(),
    });

  it("completes the scheduled record with central's charge, dated the day it was applied", async () => {
    const paid = futureCard(3_000, "2026-11-28");
    await atCentral(paid, "pm_card_visa");
    // Not due yet: central charges nothing.
    expect(await centralRound()).toMatchObject({ charged: 0, authenticationRequired: 0 });
    store.clock.set("2026-11-29T07:00:00Z");
    expect(await centralRound()).toMatchObject({ charged: 1 });
    // Later the client's card on file is one that needs them to approve each charge.
    await central.query("UPDATE saved_cards SET removed_at = now()");
    const needsClient = futureCard(2_000, "2026-11-30");
    await atCentral(needsClient, "pm_card_authenticationRequired");
    store.clock.set("2026-11-30T07:00:00Z");
    expect(await centralRound()).toMatchObject({ charged: 0, authenticationRequired: 1 });

    // The kiosk was off meanwhile; when it runs, it reads Stripe with its own key and applies.
    // (Clock moved past Stripe's own "created" times: the read window is counted from the kiosk's now.)
    store.clock.set(new Date().toISOString());
    expect(await kioskRound()).toEqual({ collected: 1, failedTries: 1 });
    const completed = store.records.get(paid.id);
    expect(completed).toMatchObject({
      status: "completed",
      method: { type: "card", brand: "Visa" },
    });
    expect(completed?.paymentDate).not.toBeNull();
    const intent = [...simulator.books.paymentIntents.values()].find(
      (each) => each.metadata.spectra_key === `collect:${paid.id}:1`,
    );
    expect(completed?.method.type === "card" && completed.method.processorReference).toBe(intent?.id);
    expect(store.intents.forRecord(paid.id).map((each) => [each.idempotencyKey, each.state])).toEqual([
      [`collect:${paid.id}:1`, "done"],
    ]);

    // The one that needs the client: on the needs-attention list, with the page to send them.
    expect(store.records.get(needsClient.id)?.status).toBe("scheduled");
    const [item] = attentionItems(store, "2026-12-02", { retriesSavedCards: false }).filter(
      (each) => each.recordId === needsClient.id,
    );
    const [row] = await central.query<{ pay_link_url: string }>(
      "SELECT pay_link_url FROM off_session_collections WHERE record_id = $1",
      [needsClient.id],
    );
    expect(item).toMatchObject({
      kind: "authentication-required",
      outcome: "authentication_required",
      payLink: row?.pay_link_url,
    });
    expect(row?.pay_link_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);

    // Applied once: another round changes nothing.
    expect(await kioskRound()).toEqual({ collected: 0, failedTries: 0 });
    expect(store.records.get(paid.id)?.revision).toBe(completed?.revision);
  });
});
