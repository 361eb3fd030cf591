import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectDueOffSession } from "../../src/central/collections/off-session-collector.js";
import { stripeOffSession } from "../../src/central/collections/stripe-off-session.js";
import type { CentralDb } from "../../src/central/db/central-db.js";
import { postgresPool } from "../../src/central/db/postgres-db.js";
import { migrateCentral } from "../../src/central/migrate.js";
import { createMemoryLogger } from "../../src/core/logger.js";
import { KIOSK_KEY_GRANT } from "../../src/processors/stripe-simulator/kiosk-grant.js";
import {
  type RunningStripeSimulator,
  startStripeSimulator,
} from "../../src/processors/stripe-simulator/stripe-simulator.js";
import { createTestDatabase, type TestDatabase } from "../helpers/postgres.js";

const DEVICE = "kiosk-collect-1";
const TODAY = "2026-12-02";

/**
 * Central collects due future payments off-session: real PostgreSQL (central's schema, records and
 * saved cards as ingest writes them) and the Stripe simulator, which central drives with the
 * official SDK and the studio's full key, Stripe's test cards standing for each answer.
 */
describe("central charges due future payments off-session, with retries", () => {
  let database: TestDatabase;
  let db: CentralDb;
  let simulator: RunningStripeSimulator;
  let admin: Stripe;
  let now = new Date("2026-12-02T08:00:00Z");
  const notices: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    db = postgresPool({ url: database.url, poolSize: 2, logger: createMemoryLogger() });
    await migrateCentral(db, createMemoryLogger());
    simulator = await startStripeSimulator();
    admin = new Stripe(simulator.secretKey, { host: simulator.host, port: simulator.port, protocol: "http" });
  }, 30_000);
  afterAll(async () => {
    await db?.close();
    await database?.drop();
    await simulator?.close();
  });

  const collect = (key = simulator.secretKey) =>
    collectDueOffSession({
      db,
      charger: stripeOffSession(
        new Stripe(key, {
          host: simulator.host,
          port: simulator.port,
          protocol: "http",
          maxNetworkRetries: 0,
        }),
      ),
      schedule: { retryIntervalHours: 24, maxAttempts: 3 },
      logger: createMemoryLogger(),
      now: () => now,
      today: () => now.toISOString().slice(0, 10),
      tried: (_device, record) => notices.push(record),
    });

  /** A client with a card saved at Stripe (a test PaymentMethod on their customer) and on central's books. */
  async function clientWithCard(clientId: string, testMethod: string): Promise<string> {
    const customer = await admin.customers.create({ metadata: { spectra_client_id: clientId } });
    const method = await admin.paymentMethods.attach(testMethod, { customer: customer.id });
    await db.query(
      `INSERT INTO saved_cards (token, device_id, client_id, brand, last4, exp_month, exp_year, created_at, received_at, consent_by, consent_at)
       VALUES ($1, $2, $3, 'Visa', $4, 12, 2030, now(), now(), 'client', now())`,
      [method.id, DEVICE, clientId, method.card?.last4 ?? "0000"],
    );
    return method.id;
  }

  async function scheduled(
    recordId: string,
    clientId: string,
    amountMinor: number,
    dueDate = TODAY,
  ): Promise<void> {
    await db.query(
      `INSERT INTO payment_records (id, revision, device_id, kind, invoice_id, invoice_number, client_id,
         amount_minor, currency, refundable, future_payment, due_date, method_id, method_name, method_type,
         method, status, created_at, updated_at, content_hash, received_at)
       VALUES ($1, 1, $2, 'payment', $3, $3, $4, $5, 'USD', false, true, $6::date, 'card', 'Credit Card', 'card',
         '{"type":"card"}'::jsonb, 'scheduled', now(), now(), 'hash', now())`,
      [recordId, DEVICE, `inv-${recordId}`, clientId, amountMinor, dueDate],
    );
  }

  const tries = (recordId: string) =>
    db.query<{
      attempt: number;
      outcome: string;
      decline_code: string | null;
      payment_intent: string | null;
      pay_link_url: string | null;
      next_try_at: Date | null;
    }>(
      "SELECT attempt, outcome, decline_code, payment_intent, pay_link_url, next_try_at FROM off_session_collections WHERE record_id = $1 ORDER BY attempt",
      [recordId],
    );
  const intentsFor = (recordId: string) =>
    [...simulator.books.paymentIntents.values()].filter((intent) => intent.metadata.record_id === recordId);

  it("charges a due payment once, off-session, with the try's key; not one due later, and never twice", async () => {
    await clientWithCard("cl-ok", "pm_card_visa");
    await scheduled("rec-ok", "cl-ok", 4_500);
    await scheduled("rec-later", "cl-ok", 4_500, "2026-12-20");
    const report = await collect();
    expect(report).toMatchObject({ charged: 1 });
    const [intent] = intentsFor("rec-ok");
    expect(intent).toMatchObject({
      status: "succeeded",
      amount: 4_500,
      metadata: { spectra_key: "collect:rec-ok:1", device_id: DEVICE },
    });
    expect(await tries("rec-ok")).toEqual([
      expect.objectContaining({
        attempt: 1,
        outcome: "charged",
        payment_intent: intent?.id,
        next_try_at: null,
      }),
    ]);
    expect(intentsFor("rec-later")).toEqual([]);
    expect(notices).toContain("rec-ok");
    await collect();
    expect(intentsFor("rec-ok")).toHaveLength(1);
  });

  it("tries a soft decline again on the schedule, up to the last try; a hard decline only once", async () => {
    await clientWithCard("cl-poor", "pm_card_chargeDeclinedInsufficientFunds");
    await scheduled("rec-poor", "cl-poor", 3_000);
    await clientWithCard("cl-expired", "pm_card_chargeDeclinedExpiredCard");
    await scheduled("rec-expired", "cl-expired", 3_000);
    await collect();
    const [first] = await tries("rec-poor");
    expect(first).toMatchObject({ attempt: 1, outcome: "declined", decline_code: "insufficient_funds" });
    expect(first?.next_try_at?.toISOString()).toBe("2026-12-03T08:00:00.000Z");
    expect(await tries("rec-expired")).toEqual([
      expect.objectContaining({ outcome: "declined", decline_code: "expired_card", next_try_at: null }),
    ]);
    // Before the next try is due: nothing.
    now = new Date("2026-12-02T20:00:00Z");
    await collect();
    expect(await tries("rec-poor")).toHaveLength(1);
    // A day later, and again: tries 2 and 3, each with its own key; then no more.
    now = new Date("2026-12-03T09:00:00Z");
    await collect();
    now = new Date("2026-12-04T10:00:00Z");
    await collect();
    now = new Date("2026-12-06T10:00:00Z");
    await collect();
    expect((await tries("rec-poor")).map((each) => [each.attempt, each.outcome, each.next_try_at])).toEqual([
      [1, "declined", expect.any(Date)],
      [2, "declined", expect.any(Date)],
      [3, "declined", null],
    ]);
    expect(intentsFor("rec-poor").map((intent) => intent.metadata.spectra_key)).toEqual([
      "collect:rec-poor:1",
      "collect:rec-poor:2",
      "collect:rec-poor:3",
    ]);
    expect(intentsFor("rec-expired")).toHaveLength(1);
  });

  it("a charge that needs the client's authentication stops there, with a payment page to send them", async () => {
    await clientWithCard("cl-3ds", "pm_card_authenticationRequired");
    await scheduled("rec-3ds", "cl-3ds", 6_000);
    const report = await collect();
    expect(report.authenticationRequired).toBe(1);
    const [attempt] = await tries("rec-3ds");
    expect(attempt).toMatchObject({
      outcome: "authentication-required",
      decline_code: "authentication_required",
    });
    const session = [...simulator.books.sessions.values()].find((each) => each.url === attempt?.pay_link_url);
    expect(session).toMatchObject({ status: "open", amount_total: 6_000 });
    // The page's payment will carry the next try's key, so the kiosk finds it like any collection.
    expect(session?.metadata).toMatchObject({ spectra_key: "collect:rec-3ds:2", record_id: "rec-3ds" });
    now = new Date("2026-12-09T10:00:00Z");
    await collect();
    expect(await tries("rec-3ds")).toHaveLength(1);
  });

  it("leaves a try whose answer is lost open, and sends the same key again: one charge", async () => {
    await clientWithCard("cl-lost", "pm_card_visa");
    await scheduled("rec-lost", "cl-lost", 2_200);
    const unreachable = await collectDueOffSession({
      db,
      charger: { charge: async () => Promise.reject(new Error("connection reset")) },
      schedule: { retryIntervalHours: 24, maxAttempts: 3 },
      logger: createMemoryLogger(),
      now: () => now,
      today: () => now.toISOString().slice(0, 10),
    });
    expect(unreachable.unknown).toBeGreaterThanOrEqual(1);
    expect(await tries("rec-lost")).toEqual([expect.objectContaining({ attempt: 1, outcome: "unknown" })]);
    await collect();
    expect(await tries("rec-lost")).toEqual([expect.objectContaining({ attempt: 1, outcome: "charged" })]);
    expect(intentsFor("rec-lost")).toHaveLength(1);
  });

  it("cannot refund with the kiosk's restricted key: Stripe's 403 naming the permission", async () => {
    const [paid] = intentsFor("rec-ok");
    const kiosk = new Stripe(simulator.restrictedKey(KIOSK_KEY_GRANT), {
      host: simulator.host,
      port: simulator.port,
      protocol: "http",
      maxNetworkRetries: 0,
    });
    const refused = await kiosk.refunds
      .create({ payment_intent: String(paid?.id) })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(Stripe.errors.StripePermissionError);
    expect((refused as Stripe.errors.StripePermissionError).statusCode).toBe(403);
    expect((refused as Error).message).toMatch(
      /Having the 'rak_refund_write' permission would allow this request to continue\.$/,
    );
  });
});
