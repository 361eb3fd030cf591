import { afterEach, describe, expect, it } from "vitest";
import { startCardService } from "../../src/card-payments/card-service.js";
import { createMemoryLogger } from "../../src/core/logger.js";
import {
  type RunningSimulator,
  startGatewaySimulator,
} from "../../src/payments/processor/simulator/gateway-simulator.js";
import { intentKey } from "../../src/store/intent-book.js";
import { CARDS, cardDraft, encryptedSwipe } from "../helpers/card-payments.js";
import { STAFF } from "../helpers/payments.js";
import { type TestStore, testStore } from "../helpers/store.js";

let store: TestStore;
let simulator: RunningSimulator;
afterEach(async () => {
  store.dispose();
  await simulator.close();
});

describe("the card service of a running kiosk", () => {
  it("reconciles at start, then forwards offline payments once the processor answers again", async () => {
    simulator = await startGatewaySimulator();
    store = testStore({ processorKind: "gateway" });
    // Left by a crash: a sale recorded as authorizing that never reached the processor.
    const lost = store.ledger.record(
      cardDraft(1_000, {
        methodFields: { type: "card", entryMode: "swiped", maskedPan: "424242******4242" },
      }),
      STAFF,
    );
    const config = {
      kind: "gateway" as const,
      url: simulator.url,
      apiKey: simulator.apiKey,
      timeoutMs: 1_000,
      offline: { enabled: true, perPaymentCapMinor: 10_000, totalCapMinor: 50_000, maxAgeHours: 72 },
      collection: { maxAttempts: 3, retryIntervalHours: 24 },
    };
    const service = await startCardService({
      config,
      store,
      clock: store.clock,
      timeZone: "America/Denver",
      logger: createMemoryLogger(),
      intervalMs: 0,
    });
    expect(store.records.get(lost.id)?.status).toBe("declined");
    expect(store.intents.get(intentKey("sale", lost.id))?.state).toBe("failed");

    service.availability.markUnreachable();
    const stored = await service.charger.pay(cardDraft(2_000), STAFF, encryptedSwipe(CARDS.approve));
    expect(stored.kind).toBe("stored-offline");
    await service.tick();
    expect(service.availability.online).toBe(true);
    expect(store.records.get(stored.record.id)?.status).toBe("completed");
    await service.stop();
  });

  it("uses no processor in manual mode: card payments need an authorization code", async () => {
    simulator = await startGatewaySimulator();
    store = testStore();
    const service = await startCardService({
      config: { kind: "manual" },
      store,
      clock: store.clock,
      timeZone: "America/Denver",
      logger: createMemoryLogger(),
      intervalMs: 0,
    });
    expect(service.processor.kind).toBe("manual");
    expect(await service.processor.reachable()).toBe(false);
    await service.tick();
    await service.stop();
  });
});
