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
 * "manual": no integrated processor, staff type the authorization code from their own terminal.
 * "gateway": an HTTP processor moves the money.
 * "simulator": the laptop setup — the kiosk runs the gateway simulator on loopback and talks to it
 * through the same gateway client, so test cards can be paid at the screen; no money moves.
 */
export const processorConfigSchema = z.discriminatedUnion("kind", [
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
