import type { Clock } from "../../core/clock.js";
import { ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";
import type { Logger } from "../../core/logger.js";
import type { CardProcessor } from "../../payments/card-processor.js";
import type { SmartReader } from "../../payments/smart-reader.js";
import {
  connectAuthorizeNetProcessor,
  type SecretReader,
} from "../../processors/authorize-net-connection.js";
import { CentralOperationsLine, refundsThroughCentral } from "../../processors/central-refunds.js";
import type { CollectionPolicy, ProcessorConfig } from "../../processors/config.js";
import { manualProcessor } from "../../processors/manual/manual-processor.js";
import { connectStripe } from "../../processors/stripe-connection.js";
import type { CheckoutTables } from "../checkout-tables.js";
import { CardCharger } from "./card-charger.js";
import { CardCollection } from "./card-collection.js";
import { applyCentralCollections } from "./central-collections.js";
import { collectDuePayments, collectNow } from "./due-payments.js";
import { cleanUpKeyedEntries } from "./keyed-card-cleanup.js";
import { forwardOfflinePayments } from "./offline-forwarder.js";
import { ProcessorAvailability } from "./processor-availability.js";
import { reconcileIntents } from "./reconciler.js";

export interface CardService {
  readonly processor: CardProcessor;
  readonly charger: CardCharger;
  readonly availability: ProcessorAvailability;
  /** A processor that charges cards is set up (not the manual one, which only records codes). */
  readonly integrated: boolean;
  /** The smart reader card-present payments go to (Stripe Terminal); null when there is none. */
  readonly smartReader: SmartReader | null;
  /**
   * The way to central for refunds the kiosk's key may not make (Stripe's restricted key): the app
   * attaches the sync agent once it runs.
   */
  readonly central: CentralOperationsLine;
  /** One round of background work: probe, forward offline payments, collect due ones. */
  tick(): Promise<void>;
  /**
   * The kiosk charges saved cards itself, so staff can retry one (`collectNow`): false where the
   * processor keeps no saved cards or central collects them (Stripe).
   */
  readonly retriesSavedCards: boolean;
  /** Staff's "retry the saved card" on a due card future payment: one more try now. */
  collectNow(recordId: string): Promise<"collected" | "failed">;
  stop(): Promise<void>;
}

export interface CardServiceOptions {
  readonly config: ProcessorConfig;
  /** What the charger, the reconciler, the offline forwarder and due collections use between them. */
  readonly store: Pick<
    CheckoutTables,
    | "ledger"
    | "transact"
    | "records"
    | "intents"
    | "offlineCards"
    | "savedCards"
    | "collections"
    | "keyedEntries"
  >;
  readonly clock: Clock;
  readonly timeZone: string;
  readonly logger: Logger;
  /** How often the background work runs; 0 leaves it to the caller (tests call tick()). */
  readonly intervalMs: number;
  /** The kiosk's secrets (a processor's key), by name. */
  readonly readSecret?: SecretReader;
  /** The studio's currency (Stripe's card-saving page needs one); USD when not given. */
  readonly currency?: string;
}

/**
 * Authorize.Net's refunds above the kiosk's limit are made by central with the transaction key it
 * holds (the kiosk asks over MQTT, under its intent's key); smaller ones, and every void, the kiosk
 * makes itself.
 */
function largeRefundsThroughCentral(
  processor: CardProcessor,
  central: CentralOperationsLine,
  limitMinor: number,
): CardProcessor {
  const routed = refundsThroughCentral(processor, central, (request) => request.amount.minor > limitMinor);
  return { ...routed, void: processor.void };
}

/**
 * Card processing for the running kiosk: the processor chosen in config, intents reconciled at
 * start, and a background round that probes an unreachable processor, forwards offline payments
 * and charges due future payments. `stop()` waits for a round, and for any sale, refund or void
 * under way, so nothing is cut short.
 */
export async function startCardService(options: CardServiceOptions): Promise<CardService> {
  const { store, clock, logger } = options;
  const stripe = await connectStripe(options.config, options.currency ?? "USD", logger);
  const central = new CentralOperationsLine();
  const authorizeNet = await connectAuthorizeNetProcessor(options.config, logger, options.readSecret);
  const processor =
    (stripe && refundsThroughCentral(stripe.processor, central)) ??
    (authorizeNet &&
      largeRefundsThroughCentral(authorizeNet.processor, central, authorizeNet.refundLimitMinor)) ??
    manualProcessor();
  // Stripe keeps no card for later: its server-driven readers take no offline payments.
  const integrated = stripe !== null || authorizeNet !== null;
  // On Stripe the kiosk's restricted key charges no saved card off-session: central collects due
  // payments with the studio's full key, and the kiosk applies what central did (read at Stripe).
  const collectionPolicy = stripe ? null : (authorizeNet?.collection ?? null);
  const availability = new ProcessorAvailability(clock);
  const charger = new CardCharger({
    store,
    processor,
    availability,
    offline: authorizeNet?.offline ?? null,
    collection: new CardCollection(logger),
    logger,
  });

  let running: Promise<void> = Promise.resolve();
  const round = async (): Promise<void> => {
    if (!integrated) return;
    if (!availability.online) {
      if (!(await processor.reachable())) return;
      availability.markReachable();
      logger.info("card processor reachable again");
    }
    // A sale under way on the screen has an open intent too: its own answer settles it.
    await reconcileIntents(store, processor, logger, { running: (key) => charger.isRunning(key) });
    await cleanUpKeyedEntries(keyedCleanup);
    if (authorizeNet)
      await forwardOfflinePayments({
        store,
        processor,
        availability,
        policy: authorizeNet.offline,
        clock,
        logger,
      });
    if (stripe)
      await applyCentralCollections({
        store,
        collections: stripe.centralCollections,
        processor,
        clock,
        timeZone: options.timeZone,
        logger,
      });
    if (!collectionPolicy) return;
    await collectDuePayments(dueDeps(collectionPolicy));
  };
  const keyedCleanup = { store, processor, clock, logger, running: (key: string) => charger.isRunning(key) };
  const dueDeps = (policy: CollectionPolicy) => ({
    store,
    processor,
    policy,
    clock,
    timeZone: options.timeZone,
    logger,
  });
  const tick = (): Promise<void> => {
    running = running
      .then(round)
      .catch((error: unknown) => logger.warn(`card background round failed: ${(error as Error).message}`));
    return running;
  };

  if (integrated) {
    // A keyed form a previous run left open is no one's now: its card is deleted (unless charged).
    const abandoned = store.keyedEntries.abandonOpen();
    if (abandoned > 0)
      logger.info(`${abandoned} keyed entries left open by the last run: their cards are deleted`);
    await reconcileIntents(store, processor, logger)
      .then(() => cleanUpKeyedEntries(keyedCleanup))
      .catch((error: unknown) =>
        logger.warn(`reconciling at start failed; retried in the background: ${(error as Error).message}`),
      );
  }
  const timer =
    options.intervalMs > 0 && integrated ? setInterval(() => void tick(), options.intervalMs) : null;
  timer?.unref();
  return {
    processor,
    charger,
    availability,
    integrated,
    smartReader: stripe?.smartReader ?? null,
    central,
    retriesSavedCards: collectionPolicy !== null,
    tick,
    collectNow: async (recordId) => {
      if (!collectionPolicy) {
        throw new KioskError(
          ErrorCodes.FOLLOW_UP_NOT_AVAILABLE,
          "This kiosk does not charge saved cards itself: its processor keeps none, or central collects them (Stripe).",
          { recordId },
        );
      }
      // After the round under way, never beside it: one try at a time per record.
      const attempt = running.then(() => collectNow(dueDeps(collectionPolicy), recordId));
      running = attempt.then(
        () => {},
        () => {},
      );
      return attempt;
    },
    stop: async () => {
      if (timer) clearInterval(timer);
      // A sale under way finishes and is written (or stays a pending intent, reconciled at start).
      await charger.whenIdle();
      await running;
      await authorizeNet?.close();
      await stripe?.close();
    },
  };
}
