import { CardCharger } from "../../src/checkout/cards/card-charger.js";
import { CardCollection } from "../../src/checkout/cards/card-collection.js";
import type { CardService } from "../../src/checkout/cards/card-service.js";
import { ProcessorAvailability } from "../../src/checkout/cards/processor-availability.js";
import { createMemoryLogger } from "../../src/core/logger.js";
import { CardNumber } from "../../src/payments/card/card-number.js";
import { parseMaskedPan } from "../../src/payments/card/masked-pan.js";
import type { CardProcessor, CardSource } from "../../src/payments/card-processor.js";
import type { PaymentDraftInput } from "../../src/payments/payment-draft.js";
import { CentralOperationsLine } from "../../src/processors/central-refunds.js";
import type { OfflinePolicy } from "../../src/processors/config.js";
import { gatewayProcessor } from "../../src/processors/gateway/gateway-client.js";
import {
  type RunningSimulator,
  startGatewaySimulator,
} from "../../src/processors/gateway-simulator/gateway-simulator.js";
import { type TestStore, testStore } from "./store.js";

export const CARDS = {
  approve: "4242424242424242",
  approveMastercard: "5555555555554444",
  declined: "4000000000000002",
  insufficientFunds: "4000000000009995",
  serverError: "4000000000000119",
  timeout: "4000000000000259",
} as const;

export const swipe = (number: string): CardSource => ({
  kind: "swiped",
  card: CardNumber.parse(number),
  expiry: { month: 12, year: 2030 },
});

/** What a MagneSafe reader would hand over for this test card: encrypted tracks and the masked number. */
export const encryptedSwipe = (number: string): CardSource => ({
  kind: "encrypted",
  payload: {
    format: "magtek-magnesafe",
    ksn: "9011880B00000A000001",
    encryptedTrack2: "A1B2C3D4E5F60718293A4B5C6D7E8F90",
    encryptedTrack1: null,
    deviceSerial: "B1234567",
    maskedPan: parseMaskedPan(`${number.slice(0, 6)}${"*".repeat(number.length - 10)}${number.slice(-4)}`),
    expiry: { month: 12, year: 2030 },
  },
});

export const cardDraft = (
  amountMinor: number,
  extra: Partial<PaymentDraftInput> = {},
): PaymentDraftInput => ({
  kind: "payment",
  invoiceId: "inv-1",
  amountMinor,
  currency: "USD",
  methodId: "card",
  methodFields: { type: "card", entryMode: "swiped" },
  ...extra,
});

export interface CardRig {
  readonly store: TestStore;
  readonly simulator: RunningSimulator;
  readonly processor: CardProcessor;
  readonly availability: ProcessorAvailability;
  readonly charger: CardCharger;
  readonly logger: ReturnType<typeof createMemoryLogger>;
  dispose(): Promise<void>;
}

/** A kiosk store and charger wired to a running gateway simulator over real HTTP. */
export async function cardRig(
  options: { offline?: OfflinePolicy; processorUrl?: string; retries?: number } = {},
): Promise<CardRig> {
  const simulator = await startGatewaySimulator({ hangMs: 1_200, slowMs: 100 });
  const store = testStore({ processorKind: "gateway" });
  const logger = createMemoryLogger();
  const processor = gatewayProcessor({
    url: options.processorUrl ?? simulator.url,
    apiKey: simulator.apiKey,
    timeoutMs: 600,
    logger,
    retries: options.retries ?? 0,
  });
  const availability = new ProcessorAvailability(store.clock);
  const charger = new CardCharger({
    store,
    processor,
    availability,
    offline: options.offline ?? null,
    collection: new CardCollection(logger),
    logger,
  });
  return {
    store,
    simulator,
    processor,
    availability,
    charger,
    logger,
    dispose: async () => {
      store.dispose();
      await simulator.close();
    },
  };
}

/** The rig's processor and charger as the card service the kiosk runs (no background rounds). */
export function rigCards(rig: CardRig): CardService {
  return {
    processor: rig.processor,
    charger: rig.charger,
    availability: rig.availability,
    integrated: true,
    smartReader: null,
    central: new CentralOperationsLine(),
    tick: async () => {},
    collectNow: async () => "failed",
    stop: () => rig.charger.whenIdle(),
  };
}
