import { z } from "zod";
import type { ProcessorIntegration } from "../payments/card-processor.js";

/**
 * Offline card acceptance (store-and-forward), off unless enabled: only reader-encrypted cards, each
 * under a per-payment cap, all together under a total cap, forwarded within a maximum age — the
 * limits Stripe Terminal, Square and Adyen put on it. A plain-track swipe is never stored.
 */
const offlineSchema = z.strictObject({
  enabled: z.boolean().default(false),
  perPaymentCapMinor: z.number().int().positive().default(20_000),
  totalCapMinor: z.number().int().positive().default(100_000),
  maxAgeHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 7)
    .default(72),
});

/** Charging due future payments to saved cards: how often a failed one is retried, and how far apart. */
const collectionSchema = z.strictObject({
  maxAttempts: z.number().int().min(1).max(10).default(3),
  retryIntervalHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 14)
    .default(24),
});

/**
 * Where the Stripe SDK sends requests instead of api.stripe.com: the Stripe simulator, in tests and
 * on a laptop. Absent in a studio.
 */
const stripeEndpointSchema = z.strictObject({
  host: z.string().min(1).max(255),
  port: z.number().int().min(1).max(65_535),
  protocol: z.enum(["http", "https"]),
});

/** Card-present payments on Stripe's smart reader, server-driven. */
const stripeReaderSchema = {
  /** The studio's smart reader (`tmr_…`), registered to its location; null: no smart reader. */
  readerId: z
    .string()
    .regex(/^tmr_[A-Za-z0-9]{1,64}$/)
    .nullable()
    .default(null),
  /** How often the reader's action is read while a client presents a card. */
  pollMs: z.number().int().min(50).max(5_000).default(500),
  /** How long a client may take at the reader before the collection is cancelled. */
  collectTimeoutMs: z.number().int().min(5_000).max(300_000).default(120_000),
  /** How often the reader's status (online, busy) is asked for, for the status bar and telemetry. */
  readerStatusMs: z.number().int().min(1_000).max(300_000).default(15_000),
};

export const stripeConfigSchema = z.strictObject({
  kind: z.literal("stripe"),
  /**
   * A file holding the kiosk's restricted key (`rk_…`: take payments, nothing else), readable by
   * the kiosk's user alone (mode 0600). Refunds and off-session charges are central's, with the
   * studio's full key.
   */
  apiKeyFile: z.string().min(1).max(4096),
  endpoint: stripeEndpointSchema.optional(),
  ...stripeReaderSchema,
  timeoutMs: z.number().int().min(500).max(120_000).default(15_000),
  /** How far back a look-up by key reads PaymentIntents: longer than any intent stays open. */
  lookupWindowHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(48),
  /** Pay on your phone: how long a payment page stays open, and how often it is read without a webhook. */
  payLink: z
    .strictObject({
      lifetimeMinutes: z
        .number()
        .int()
        .min(30)
        .max(24 * 60)
        .default(30),
      pollMs: z.number().int().min(500).max(120_000).default(5_000),
    })
    .prefault({}),
  collection: collectionSchema.prefault({}),
});
export type StripeConfig = z.infer<typeof stripeConfigSchema>;

/**
 * "manual": no integrated processor, staff type the authorization code from their own terminal.
 * "gateway": an HTTP processor moves the money.
 * "simulator": the laptop setup — the kiosk runs the gateway simulator on loopback and talks to it
 * through the same gateway client, so test cards can be paid at the screen; no money moves.
 * "stripe": Stripe moves the money (card-present on its smart reader, its hosted pages, saved cards).
 */
export const processorConfigSchema = z.discriminatedUnion("kind", [
  stripeConfigSchema,
  z.strictObject({ kind: z.literal("manual") }),
  z.strictObject({
    kind: z.literal("simulator"),
    timeoutMs: z.number().int().min(500).max(120_000).default(15_000),
    offline: offlineSchema.prefault({}),
    collection: collectionSchema.prefault({}),
  }),
  z.strictObject({
    kind: z.literal("gateway"),
    url: z.string().url(),
    apiKey: z.string().min(1),
    timeoutMs: z.number().int().min(500).max(120_000).default(15_000),
    offline: offlineSchema.prefault({}),
    collection: collectionSchema.prefault({}),
  }),
]);

export type OfflinePolicy = z.infer<typeof offlineSchema>;
export type CollectionPolicy = z.infer<typeof collectionSchema>;

export type ProcessorConfig = z.infer<typeof processorConfigSchema>;

/** How card payments are taken: through an integrated processor ("gateway") or by hand ("manual"). */
export function processorIntegration(config: ProcessorConfig): ProcessorIntegration {
  return config.kind === "manual" ? "manual" : "gateway";
}
