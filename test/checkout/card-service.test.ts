import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type CardService, startCardService } from "../../src/checkout/cards/card-service.js";
import { ErrorCodes } from "../../src/core/error-codes.js";
import { createMemoryLogger } from "../../src/core/logger.js";
import type { CardOperation } from "../../src/payments/central-card-operations.js";
import {
  type RunningAuthorizeNetSimulator,
  startAuthorizeNetSimulator,
} from "../../src/processors/authorize-net-simulator/authorize-net-simulator.js";
import { type ProcessorConfig, processorConfigSchema } from "../../src/processors/config.js";
import { intentKey } from "../../src/store/intent-book.js";
import { swipedCard } from "../helpers/authorize-net.js";
import { CARDS, cardDraft, encryptedSwipe } from "../helpers/card-payments.js";
import { STAFF } from "../helpers/payments.js";
import { type TestStore, testStore } from "../helpers/store.js";

let store: TestStore;
let simulator: RunningAuthorizeNetSimulator | undefined;
let scratch: string | undefined;
afterEach(async () => {
  store.dispose();
  await simulator?.close();
  simulator = undefined;
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  scratch = undefined;
});

const NO_OFFLINE = { enabled: false, perPaymentCapMinor: 1, totalCapMinor: 1, maxAgeHours: 1 };

/** The Authorize.Net simulator this test started, as a studio kiosk's configuration names Authorize.Net. */
function authorizeNetConfig(
  running: RunningAuthorizeNetSimulator,
  timeoutMs: number,
  offline = NO_OFFLINE,
): ProcessorConfig {
  scratch = mkdtempSync(join(tmpdir(), "spectra-anet-ca-"));
  const caFile = join(scratch, "ca.pem");
  writeFileSync(caFile, running.ca ?? "");
  return processorConfigSchema.parse({
    kind: "authorize-net",
    endpoint: running.endpoint,
    hostedFormUrl: running.hostedFormUrl,
    caFile,
    apiLoginId: running.apiLoginId,
    timeoutMs,
    offline,
  });
}

/** The card service on this test's store, its transaction key from the kiosk's secrets; the test calls tick(). */
const startService = (config: ProcessorConfig): Promise<CardService> =>
  startCardService({
    config,
    store,
    clock: store.clock,
    timeZone: "America/Denver",
    logger: createMemoryLogger(),
    intervalMs: 0,
    readSecret: () => simulator?.transactionKey ?? "",
  });

describe("the card service of a running kiosk", () => {
  it("reconciles at start, then forwards offline payments once the processor answers again", async () => {
    simulator = await startAuthorizeNetSimulator();
    store = testStore({ processorKind: "gateway" });
    // Left by a crash: a sale recorded as authorizing that never reached the processor.
    const lost = store.ledger.record(
      cardDraft(1_000, {
        methodFields: { type: "card", entryMode: "swiped", maskedPan: "411111******1111" },
      }),
      STAFF,
    );
    const service = await startService(
      authorizeNetConfig(simulator, 1_000, {
        enabled: true,
        perPaymentCapMinor: 10_000,
        totalCapMinor: 50_000,
        maxAgeHours: 72,
      }),
    );
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

  it("finishes a sale under way before it stops: the answer is written, never cut off", async () => {
    simulator = await startAuthorizeNetSimulator({ slowMs: 400 });
    store = testStore({ processorKind: "gateway" });
    const service = await startService(authorizeNetConfig(simulator, 2_000));
    const sale = service.charger.pay(cardDraft(1_500), STAFF, encryptedSwipe(CARDS.slow));
    // Shutdown begins while the processor is still answering.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(service.charger.inFlight).toBe(1);
    let stopped = false;
    const stopping = service.stop().then(() => {
      stopped = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(stopped).toBe(false);
    await stopping;
    const outcome = await sale;
    expect(outcome.kind).toBe("approved");
    expect(service.charger.inFlight).toBe(0);
    expect(store.records.get(outcome.record.id)?.status).toBe("completed");
    expect(store.intents.get(intentKey("sale", outcome.record.id))?.state).toBe("done");
  });

  it("uses no processor in manual mode: card payments need an authorization code", async () => {
    store = testStore();
    const service = await startService({ kind: "manual" });
    expect(service.processor.kind).toBe("manual");
    expect(await service.processor.reachable()).toBe(false);
    await service.tick();
    await service.stop();
  });
});

describe("the card service on Authorize.Net", () => {
  it("runs the laptop setup's Authorize.Net simulator, takes swipes through it, and stops it with the service", async () => {
    store = testStore({ processorKind: "gateway" });
    const service = await startCardService({
      config: processorConfigSchema.parse({ kind: "authorize-net-simulator" }),
      store,
      clock: store.clock,
      timeZone: "America/Denver",
      logger: createMemoryLogger(),
      intervalMs: 0,
    });
    try {
      expect(await service.processor.reachable()).toBe(true);
      expect(service.processor.kind).toBe("gateway"); // an integrated processor
      const outcome = await service.charger.pay(cardDraft(1_000), STAFF, swipedCard("4111111111111111"));
      expect(outcome).toMatchObject({ kind: "approved", record: { status: "completed" } });
      const declined = await service.charger.pay(cardDraft(1_300), STAFF, encryptedSwipe(CARDS.declined));
      expect(declined).toMatchObject({ kind: "declined", record: { declineCode: "PROCESSOR_DECLINED" } });
    } finally {
      await service.stop();
    }
    // Stopping the service stops its simulator too.
    expect(await service.processor.reachable()).toBe(false);
  });

  it("reads the transaction key from the kiosk's secrets, and runs without cards until it has it", async () => {
    store = testStore({ processorKind: "gateway" });
    const authorizeNet = await startAuthorizeNetSimulator();
    const dir = mkdtempSync(join(tmpdir(), "spectra-anet-ca-"));
    const caFile = join(dir, "ca.pem");
    writeFileSync(caFile, authorizeNet.ca ?? "");
    const config = processorConfigSchema.parse({
      kind: "authorize-net",
      environment: "sandbox",
      endpoint: authorizeNet.endpoint,
      hostedFormUrl: authorizeNet.hostedFormUrl,
      caFile,
      apiLoginId: authorizeNet.apiLoginId,
    });
    const start = (readSecret?: (name: string) => string) =>
      startCardService({
        config,
        store,
        clock: store.clock,
        timeZone: "America/Denver",
        logger: createMemoryLogger(),
        intervalMs: 0,
        ...(readSecret ? { readSecret } : {}),
      });
    try {
      // Without its key the kiosk runs on (central delivers the key to a running kiosk): cards are off.
      const keyless = await start();
      expect(await keyless.processor.reachable()).toBe(false);
      const refused = await keyless.charger.pay(cardDraft(1_000), STAFF, swipedCard("4111111111111111"));
      expect(refused).toMatchObject({
        kind: "declined",
        record: { declineCode: ErrorCodes.PROCESSOR_UNAVAILABLE },
      });
      expect(authorizeNet.books.transactions.size).toBe(0);
      await keyless.stop();
      const asked: string[] = [];
      const service = await start((name) => {
        asked.push(name);
        return authorizeNet.transactionKey;
      });
      expect(asked).toEqual(["authorize-net-transaction-key"]);
      expect(await service.processor.reachable()).toBe(true);
      await service.stop();
    } finally {
      await authorizeNet.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it("asks central for a card refund above the kiosk's limit, and refunds within it at Authorize.Net", async () => {
    store = testStore({ processorKind: "gateway" });
    const service = await startCardService({
      config: processorConfigSchema.parse({ kind: "authorize-net-simulator", refundLimitMinor: 5_000 }),
      store,
      clock: store.clock,
      timeZone: "America/Denver",
      logger: createMemoryLogger(),
      intervalMs: 0,
    });
    // Central, as the sync agent would reach it: here it refuses, saying why.
    const asked: CardOperation[] = [];
    service.central.attach({
      request: async (operation) => {
        asked.push(operation);
        return { outcome: "refused", code: ErrorCodes.CENTRAL_CARD_OPERATION_REFUSED, message: "No." };
      },
    });
    try {
      const paid = await service.charger.pay(cardDraft(8_000), STAFF, swipedCard("4111111111111111"));
      expect(paid.kind).toBe("approved");
      const chargeId = paid.record.method.type === "card" ? paid.record.method.processorReference : null;
      const refund = (amountMinor: number) =>
        service.charger.refund(
          { ...cardDraft(amountMinor), kind: "refund", refundOf: paid.record.id },
          { id: "mgr", role: "manager" },
        );
      const large = await refund(6_000);
      expect(asked).toEqual([
        {
          kind: "refund",
          idempotencyKey: `refund:${large.record.id}`,
          chargeId,
          amount: { minor: 6_000, currency: "USD" },
          recordId: large.record.id,
        },
      ]);
      expect(large).toMatchObject({
        kind: "declined",
        record: { declineCode: ErrorCodes.CENTRAL_CARD_OPERATION_REFUSED },
      });
      // Within the limit the refund goes to Authorize.Net, which refunds only a settled charge;
      // and a void is the kiosk's own, whatever the amount.
      const small = await refund(1_000);
      expect(small).toMatchObject({
        kind: "declined",
        record: { declineCode: ErrorCodes.PROCESSOR_REFUND_NOT_SETTLED },
      });
      expect((await service.charger.void(paid.record.id, { id: "mgr", role: "manager" })).status).toBe(
        "voided",
      );
      expect(asked).toHaveLength(1);
    } finally {
      await service.stop();
    }
  });
});
