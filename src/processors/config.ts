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
 * Card refunds above this (minor units) are made by central, with the processor key it holds; the
 * kiosk asks for them over MQTT. Smaller ones, and voids, the kiosk makes itself.
 */
const refundLimit = z.number().int().min(0).max(100_000_000).default(50_000);

/**
 * Authorize.Net, card present. The transaction key is never in this file: `transactionKeySecret`
 * names the kiosk's secret that holds it (readable by the kiosk's service user only), which central
 * delivers encrypted to the device. The market type is retail (card present), the only one a
 * counter kiosk uses; the device type is Authorize.Net's: 3 self-service terminal (the default),
 * 2 unattended terminal. The duplicate window (seconds, at most 8 hours) is how long Authorize.Net
 * refuses a repeat of a transaction with the same card, amount and reference.
 */
const authorizeNetSchema = z.strictObject({
  kind: z.literal("authorize-net"),
  environment: z.enum(["production", "sandbox"]).default("production"),
  /** Overrides the environment's API endpoint and hosted form (a simulator, a proxy). */
  endpoint: z.string().url().startsWith("https://").optional(),
  hostedFormUrl: z.string().url().startsWith("https://").optional(),
  /** A certificate (PEM file) to trust besides the system's, for an endpoint behind a private CA. */
  caFile: z.string().min(1).optional(),
  apiLoginId: z.string().regex(/^[A-Za-z0-9]{1,25}$/, "Authorize.Net's API login id: letters and digits"),
  transactionKeySecret: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "a secret's name: lowercase letters, digits and dashes")
    .default("authorize-net-transaction-key"),
  marketType: z.literal("retail").default("retail"),
  deviceType: z.number().int().min(1).max(10).default(3),
  duplicateWindowSeconds: z.number().int().min(0).max(28_800).default(28_800),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .default("USD"),
  refundLimitMinor: refundLimit,
  timeoutMs: z.number().int().min(500).max(120_000).default(15_000),
  offline: offlineSchema.prefault({}),
  collection: collectionSchema.prefault({}),
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

/** The processors an old configuration may still name, retired with the home-made gateway (issue #13). */
const RETIRED_KINDS: ReadonlySet<unknown> = new Set(["gateway", "simulator"]);

/**
 * An old configuration's `gateway` (the home-made HTTP gateway) or `simulator` (its simulator) is
 * refused saying what to name instead, rather than with zod's bare "invalid input".
 */
function unknownProcessorKind(issue: { code: string; input?: unknown }): string | undefined {
  if (issue.code !== "invalid_union") return undefined;
  const kind = (issue.input as { kind?: unknown } | null | undefined)?.kind;
  const kinds = `"manual", "authorize-net", "authorize-net-simulator" (the laptop setup) or "stripe"`;
  return RETIRED_KINDS.has(kind)
    ? `"${String(kind)}" (the home-made card gateway) is retired: use ${kinds}`
    : `one of ${kinds}`;
}

/**
 * "manual": no integrated processor, staff type the authorization code from their own terminal.
 * "authorize-net": Authorize.Net, card present (above).
 * "authorize-net-simulator": the laptop setup — the kiosk runs the Authorize.Net simulator on
 * loopback (TLS) and talks to it through the Authorize.Net processor, so test cards can be paid at
 * the screen; no money moves.
 * "stripe": Stripe moves the money (card-present on its smart reader, its hosted pages, saved cards).
 */
export const processorConfigSchema = z.discriminatedUnion(
  "kind",
  [
    stripeConfigSchema,
    z.strictObject({ kind: z.literal("manual") }),
    authorizeNetSchema,
    z.strictObject({
      kind: z.literal("authorize-net-simulator"),
      deviceType: z.number().int().min(1).max(10).default(3),
      refundLimitMinor: refundLimit,
      timeoutMs: z.number().int().min(500).max(120_000).default(15_000),
      offline: offlineSchema.prefault({}),
      collection: collectionSchema.prefault({}),
    }),
  ],
  { error: unknownProcessorKind },
);

export type OfflinePolicy = z.infer<typeof offlineSchema>;
export type CollectionPolicy = z.infer<typeof collectionSchema>;

export type ProcessorConfig = z.infer<typeof processorConfigSchema>;
export type AuthorizeNetConfig = z.infer<typeof authorizeNetSchema>;

/** How card payments are taken: through an integrated processor ("gateway") or by hand ("manual"). */
export function processorIntegration(config: ProcessorConfig): ProcessorIntegration {
  return config.kind === "manual" ? "manual" : "gateway";
}
