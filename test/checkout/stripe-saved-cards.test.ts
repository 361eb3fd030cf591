import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CardCharger } from "../../src/checkout/cards/card-charger.js";
import { CardCollection } from "../../src/checkout/cards/card-collection.js";
import { ProcessorAvailability } from "../../src/checkout/cards/processor-availability.js";
import { createMemoryLogger } from "../../src/core/logger.js";
import { stripeClient } from "../../src/processors/stripe/stripe-client.js";
import { stripeProcessor } from "../../src/processors/stripe/stripe-processor.js";
import { KIOSK_KEY_GRANT } from "../../src/processors/stripe-simulator/kiosk-grant.js";
import {
  type RunningStripeSimulator,
  startStripeSimulator,
} from "../../src/processors/stripe-simulator/stripe-simulator.js";
import { cardDraft } from "../helpers/card-payments.js";
import { CLIENT, STAFF } from "../helpers/payments.js";
import { type TestStore, testStore } from "../helpers/store.js";

/**
 * Saving a card needs someone's agreement: only a payment with the box ticked keeps the card, on the
 * client's Stripe customer, with who agreed and when; staff then charge it, and its details fill the
 * record. Through the charger, the Stripe processor on the kiosk's restricted key, and the simulator
 * driven by the official SDK (the simulated reader presents the card by itself).
 */
describe("saved cards with consent, on Stripe", () => {
  let simulator: RunningStripeSimulator;
  let store: TestStore;
  let charger: CardCharger;
  let admin: Stripe;
  const reader = () => simulator.readers[0] as string;
  beforeAll(async () => {
    simulator = await startStripeSimulator({
      autoPresent: { afterMs: 5, card: () => "5555555555554444" },
    });
    store = testStore({ processorKind: "gateway" });
    const logger = createMemoryLogger();
    const endpoint = { host: simulator.host, port: simulator.port, protocol: "http" as const };
    charger = new CardCharger({
      store,
      processor: stripeProcessor({
        stripe: stripeClient({
          apiKey: simulator.restrictedKey(KIOSK_KEY_GRANT),
          endpoint,
          timeoutMs: 2_000,
        }),
        logger,
        timing: { pollMs: 10, collectTimeoutMs: 5_000 },
        lookupWindowHours: 48,
        currency: "USD",
      }),
      availability: new ProcessorAvailability(store.clock),
      offline: null,
      collection: new CardCollection(logger),
      logger,
    });
    admin = new Stripe(simulator.secretKey, { ...endpoint });
  });
  afterAll(async () => {
    store.dispose();
    await simulator.close();
  });

  const atReader = () => ({ kind: "reader" as const, readerId: reader() });

  it("keeps no card when the box is not ticked", async () => {
    const outcome = await charger.pay(cardDraft(1_000), CLIENT, atReader());
    expect(outcome.kind).toBe("approved");
    expect(store.savedCards.forClient(outcome.record.clientId)).toEqual([]);
    expect(simulator.books.customers.size).toBe(0);
  });

  it("saves the card to the client's customer with the client's consent, and staff charge it later", async () => {
    const outcome = await charger.pay(cardDraft(1_500), CLIENT, atReader(), { saveCard: true });
    expect(outcome.kind).toBe("approved");
    const clientId = outcome.record.clientId;
    const [card] = store.savedCards.forClient(clientId);
    expect(card).toMatchObject({
      brand: "Mastercard",
      last4: "4444",
      consent: { by: "client", at: outcome.record.createdAt },
    });
    const method = await admin.paymentMethods.retrieve(String(card?.token));
    const customer = await admin.customers.retrieve(String(method.customer));
    expect(customer).toMatchObject({ metadata: { spectra_client_id: clientId } });

    // At the desk, staff pick that card: it is charged, and its details fill the record.
    const charged = await charger.pay(
      cardDraft(2_000, { methodFields: { type: "card", entryMode: "keyed" } }),
      STAFF,
      { kind: "token", token: String(card?.token) },
    );
    expect(charged).toMatchObject({
      kind: "approved",
      record: { status: "completed", method: { brand: "Mastercard", entryMode: "keyed" } },
    });
    const intent = await admin.paymentIntents.retrieve(
      String(charged.record.method.type === "card" && charged.record.method.processorReference),
    );
    expect(intent).toMatchObject({ customer: customer.id, payment_method: card?.token, status: "succeeded" });
    // Charging a saved card does not save it again.
    expect(store.savedCards.forClient(clientId)).toHaveLength(1);
  });

  it("records the member of staff who ticked the box at the desk", async () => {
    const outcome = await charger.pay(cardDraft(1_700), STAFF, atReader(), { saveCard: true });
    const cards = store.savedCards.forClient(outcome.record.clientId);
    // The sale's card beside the earlier test's (the clock may give both the same time): found by its consent.
    expect(cards.map((card) => card.consent)).toContainEqual({ by: "mgr", at: outcome.record.createdAt });
    // One customer per client, found again by its metadata.
    expect(simulator.books.customers.size).toBe(1);
  });
});
