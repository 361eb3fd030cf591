import { CardCharger } from "../../src/checkout/cards/card-charger.js";
import { CardCollection } from "../../src/checkout/cards/card-collection.js";
import type { CardService } from "../../src/checkout/cards/card-service.js";
import { ProcessorAvailability } from "../../src/checkout/cards/processor-availability.js";
import { createMemoryLogger } from "../../src/core/logger.js";
import { CardNumber } from "../../src/payments/card/card-number.js";
import { parseMaskedPan } from "../../src/payments/card/masked-pan.js";
import type { CardProcessor, CardSource } from "../../src/payments/card-processor.js";
import type { PaymentDraftInput } from "../../src/payments/payment-draft.js";
import { connectAuthorizeNet } from "../../src/processors/authorize-net/connect-authorize-net.js";
import { invoiceReference } from "../../src/processors/authorize-net/invoice-reference.js";
import {
  type RunningAuthorizeNetSimulator,
  startAuthorizeNetSimulator,
} from "../../src/processors/authorize-net-simulator/authorize-net-simulator.js";
import type { SimTransaction } from "../../src/processors/authorize-net-simulator/merchant-books.js";
import { CentralOperationsLine } from "../../src/processors/central-refunds.js";
import type { OfflinePolicy } from "../../src/processors/config.js";
import { swipedCard } from "./authorize-net.js";
import { type TestStore, testStore } from "./store.js";

/**
 * Cards for the Authorize.Net simulator: the sandbox's documented approvals, and the simulator's own
 * cards that answer one way whatever the amount (`sandbox-behaviour.ts`). "insufficientFunds" is an
 * issuer's insufficient funds, which Authorize.Net reports as a general decline (reason 2).
 */
export const CARDS = {
  approve: "4111111111111111",
  approveMastercard: "5424000000000015",
  declined: "4000000000000002",
  insufficientFunds: "4000000000009995",
  /** Reason 19, "an error occurred during processing": nothing charged. */
  serverError: "4000000000000119",
  /** Charges, then answers after the simulator's hang time: longer than the rig's processor waits. */
  timeout: "4000000000000259",
  /** Charges, then answers after the simulator's slow time. */
  slow: "4000000000000341",
} as const;

/** A plain swipe of this number as the reader reads it (track 2, December 2030). */
export const swipe = (number: string): CardSource => swipedCard(number);

/** A swipe without its tracks: the number and expiry alone (a card typed by hand into the source). */
export const numberOnly = (number: string): CardSource => ({
  kind: "swiped",
  card: CardNumber.parse(number),
  expiry: { month: 12, year: 2030 },
});

/** The Authorize.Net reference a kiosk intent's key travels under (invoiceNumber and refId). */
export const referenceOf = (key: string): string => invoiceReference(key);

const CHARGED = new Set(["capturedPendingSettlement", "settledSuccessfully", "voided"]);
const REFUNDED = new Set(["refundPendingSettlement", "refundSettledSuccessfully"]);

/** The card transactions that took money (or did, until voided) on the simulator, oldest first. */
export function simCharges(simulator: RunningAuthorizeNetSimulator): SimTransaction[] {
  return [...simulator.books.transactions.values()].filter(
    (transaction) => transaction.type !== "refundTransaction" && CHARGED.has(transaction.status),
  );
}

/** The refunds the simulator made, oldest first. */
export function simRefunds(simulator: RunningAuthorizeNetSimulator): SimTransaction[] {
  return [...simulator.books.transactions.values()].filter(
    (transaction) => transaction.type === "refundTransaction" && REFUNDED.has(transaction.status),
  );
}

/** Where nothing listens: a processor pointed here is unreachable. */
export const UNREACHABLE_ENDPOINT = "https://127.0.0.1:9/xml/v1/request.api";

/** The kiosk's Authorize.Net processor for this simulator (or, with `endpoint`, somewhere else). */
export function authorizeNetFor(
  simulator: RunningAuthorizeNetSimulator,
  options: { endpoint?: string; timeoutMs?: number; logger?: ReturnType<typeof createMemoryLogger> } = {},
): Promise<CardProcessor> {
  return connectAuthorizeNet({
    endpoint: options.endpoint ?? simulator.endpoint,
    hostedFormUrl: simulator.hostedFormUrl,
    apiLoginId: simulator.apiLoginId,
    transactionKey: simulator.transactionKey,
    ca: simulator.ca,
    timeoutMs: options.timeoutMs ?? 1_500,
    deviceType: 3,
    duplicateWindowSeconds: 28_800,
    currency: "USD",
    logger: options.logger ?? createMemoryLogger(),
  });
}

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
  readonly simulator: RunningAuthorizeNetSimulator;
  readonly processor: CardProcessor;
  readonly availability: ProcessorAvailability;
  readonly charger: CardCharger;
  readonly logger: ReturnType<typeof createMemoryLogger>;
  dispose(): Promise<void>;
}

/**
 * A kiosk store and charger wired to a running Authorize.Net simulator over real HTTPS, through the
 * kiosk's Authorize.Net processor (waiting 1.5 s; the simulator's hanging card answers after 3 s).
 * `endpoint` points the processor elsewhere (UNREACHABLE_ENDPOINT: the processor is away).
 */
export async function cardRig(
  options: { offline?: OfflinePolicy; endpoint?: string } = {},
): Promise<CardRig> {
  const simulator = await startAuthorizeNetSimulator({ hangMs: 3_000, slowMs: 100 });
  const store = testStore({ processorKind: "gateway" });
  const logger = createMemoryLogger();
  const processor = await authorizeNetFor(simulator, {
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    logger,
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
    // No collection rounds run here: a retry would not charge, so none is offered.
    retriesSavedCards: false,
    tick: async () => {},
    collectNow: async () => "failed",
    stop: () => rig.charger.whenIdle(),
  };
}
