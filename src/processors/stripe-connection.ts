import type { Logger } from "../core/logger.js";
import { readOwnerOnlySecret } from "../core/secret-file.js";
import type { CardProcessor } from "../payments/card-processor.js";
import type { CentralCollections } from "../payments/central-collections.js";
import type { SmartReader } from "../payments/smart-reader.js";
import type { CollectionPolicy, ProcessorConfig, StripeConfig } from "./config.js";

/** The Stripe processor the configuration names, with the studio's smart reader. */
export interface StripeConnection {
  readonly processor: CardProcessor;
  /** The smart reader card-present payments go to, watched in the background; null when none. */
  readonly smartReader: SmartReader | null;
  readonly collection: CollectionPolicy;
  /** Central's off-session tries at the kiosk's due payments, read with the kiosk's key. */
  readonly centralCollections: CentralCollections;
  close(): Promise<void>;
}

const KEY = /^(rk|sk)_(test|live)_[A-Za-z0-9_-]{8,247}$/;

/**
 * The kiosk's Stripe key from its file: readable by the kiosk's user alone (no group or other
 * bits), one key on one line. The key is never logged.
 */
export function readStripeKey(path: string): string {
  return readOwnerOnlySecret(path, KEY, "one Stripe API key (rk_… or sk_…)");
}

/**
 * Stripe, when the configuration names it; null otherwise. The SDK is loaded only here, so a kiosk
 * on another processor never carries it in memory.
 */
export async function connectStripe(
  config: ProcessorConfig,
  currency: string,
  logger: Logger,
): Promise<StripeConnection | null> {
  if (config.kind !== "stripe") return null;
  return stripeConnection(config, currency, logger);
}

async function stripeConnection(
  config: StripeConfig,
  currency: string,
  logger: Logger,
): Promise<StripeConnection> {
  const apiKey = readStripeKey(config.apiKeyFile);
  if (apiKey.startsWith("sk_live_"))
    logger.warn(
      "Stripe: the kiosk holds a full live key; give it a restricted key that can take payments only",
    );
  const [{ stripeClient }, { stripeProcessor }, { ReaderWatch }, { stripeCollectionTries }] =
    await Promise.all([
      import("./stripe/stripe-client.js"),
      import("./stripe/stripe-processor.js"),
      import("./stripe/reader-watch.js"),
      import("./stripe/collection-tries.js"),
    ]);
  const stripe = stripeClient({ apiKey, endpoint: config.endpoint ?? null, timeoutMs: config.timeoutMs });
  const watch = config.readerId ? new ReaderWatch(stripe, config.readerId, logger.child("stripe")) : null;
  watch?.start(config.readerStatusMs);
  const processor = stripeProcessor({
    stripe,
    logger: logger.child("stripe"),
    timing: { pollMs: config.pollMs, collectTimeoutMs: config.collectTimeoutMs },
    payLink: config.payLink,
    lookupWindowHours: config.lookupWindowHours,
    currency,
    ...(watch ? { readerActivity: watch } : {}),
  });
  return {
    processor,
    smartReader: watch,
    collection: config.collection,
    centralCollections: stripeCollectionTries(stripe),
    close: async () => {
      await watch?.stop();
    },
  };
}
