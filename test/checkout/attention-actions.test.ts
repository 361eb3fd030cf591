import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { type CardService, startCardService } from "../../src/checkout/cards/card-service.js";
import { ErrorCodes } from "../../src/core/error-codes.js";
import { createMemoryLogger } from "../../src/core/logger.js";
import {
  type RunningAuthorizeNetSimulator,
  startAuthorizeNetSimulator,
} from "../../src/processors/authorize-net-simulator/authorize-net-simulator.js";
import { type ProcessorConfig, processorConfigSchema } from "../../src/processors/config.js";
import { KIOSK_KEY_GRANT } from "../../src/processors/stripe-simulator/kiosk-grant.js";
import {
  type RunningStripeSimulator,
  startStripeSimulator,
} from "../../src/processors/stripe-simulator/stripe-simulator.js";
import { cardDraft } from "../helpers/card-payments.js";
import { testCheckout } from "../helpers/checkout.js";
import { expectKioskErrorAsync } from "../helpers/kiosk-error.js";
import { STAFF } from "../helpers/payments.js";
import { type TestStore, tempDir, testStore } from "../helpers/store.js";

const CASHIER = { id: "cash1", role: "cashier" as const };

/**
 * The actions Needs attention offers for a failed card collection follow the processor: on an
 * Authorize.Net kiosk, which charges saved cards itself, "Retry card" comes first; on a Stripe kiosk,
 * where central collects saved cards, there is none to offer (it would only answer
 * FOLLOW_UP_NOT_AVAILABLE). Real card services against the processors' simulators.
 */
describe("Needs attention's actions for a failed card collection, by processor", () => {
  let store: TestStore;
  let cards: CardService | undefined;
  let authorizeNet: RunningAuthorizeNetSimulator | undefined;
  let stripe: RunningStripeSimulator | undefined;
  const secrets = tempDir("spectra-attention-secrets-");
  afterAll(() => secrets.remove());
  afterEach(async () => {
    await cards?.stop();
    cards = undefined;
    store.dispose();
    await authorizeNet?.close();
    authorizeNet = undefined;
    await stripe?.close();
    stripe = undefined;
  });

  const startService = async (config: ProcessorConfig, secret: string): Promise<CardService> => {
    cards = await startCardService({
      config,
      store,
      clock: store.clock,
      timeZone: "America/Denver",
      logger: createMemoryLogger(),
      intervalMs: 0,
      readSecret: () => secret,
    });
    return cards;
  };

  /** A card future payment fallen due whose saved card declined once (as a collection round notes it). */
  const failedCollection = (): string => {
    const record = store.ledger.record(
      cardDraft(2_500, {
        futurePayment: true,
        dueDate: "2026-11-27",
        methodFields: { type: "card", entryMode: "keyed" },
      }),
      STAFF,
    );
    // Fallen due the next day, when its saved card declined.
    store.clock.set("2026-11-27T17:00:00Z");
    store.transact("a collection try", () =>
      store.collections.add({
        recordId: record.id,
        attempt: 1,
        at: store.clock.now().toISOString(),
        outcome: "card_declined",
        nextTryAt: null,
      }),
    );
    return record.id;
  };

  it("on a Stripe kiosk (central collects): no Retry card, and a retry asked anyway changes nothing", async () => {
    stripe = await startStripeSimulator();
    store = testStore({ processorKind: "gateway" });
    const keyFile = join(secrets.path, "stripe.key");
    writeFileSync(keyFile, stripe.restrictedKey(KIOSK_KEY_GRANT));
    chmodSync(keyFile, 0o600);
    const service = await startService(
      processorConfigSchema.parse({
        kind: "stripe",
        apiKeyFile: keyFile,
        endpoint: { host: stripe.host, port: stripe.port, protocol: "http" },
      }),
      "",
    );
    expect(service.retriesSavedCards).toBe(false);
    const checkout = await testCheckout(store, { cards: service });
    const id = failedCollection();

    const [item] = checkout.needsAttention();
    expect(item).toMatchObject({ recordId: id, kind: "collection-failed", outcome: "card_declined" });
    expect(item?.actions).toEqual(["charge-another-card", "collected-elsewhere", "cancel"]);

    const before = store.records.get(id);
    await expectKioskErrorAsync(
      () => checkout.followUp(id, "retry-saved-card", null, CASHIER),
      ErrorCodes.FOLLOW_UP_NOT_AVAILABLE,
    );
    expect(store.records.get(id)).toEqual(before);
  });

  it("on an Authorize.Net kiosk (it charges saved cards itself): Retry card first", async () => {
    authorizeNet = await startAuthorizeNetSimulator();
    store = testStore({ processorKind: "gateway" });
    const caFile = join(secrets.path, "ca.pem");
    writeFileSync(caFile, authorizeNet.ca ?? "");
    const service = await startService(
      processorConfigSchema.parse({
        kind: "authorize-net",
        endpoint: authorizeNet.endpoint,
        hostedFormUrl: authorizeNet.hostedFormUrl,
        caFile,
        apiLoginId: authorizeNet.apiLoginId,
        timeoutMs: 2_000,
      }),
      authorizeNet.transactionKey,
    );
    expect(service.retriesSavedCards).toBe(true);
    const checkout = await testCheckout(store, { cards: service });
    const id = failedCollection();

    expect(checkout.needsAttention()).toMatchObject([
      {
        recordId: id,
        kind: "collection-failed",
        actions: ["retry-saved-card", "charge-another-card", "collected-elsewhere", "cancel"],
      },
    ]);
  });

  it("without card processing: no Retry card", async () => {
    store = testStore({ processorKind: "gateway" });
    const checkout = await testCheckout(store);
    failedCollection();
    expect(checkout.needsAttention()[0]?.actions).toEqual([
      "charge-another-card",
      "collected-elsewhere",
      "cancel",
    ]);
  });
});
