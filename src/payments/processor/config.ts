import { z } from "zod";

/**
 * "manual": no integrated processor, staff type the authorization code from their own terminal.
 * "gateway": an HTTP processor (or the gateway simulator) moves the money.
 */
export const processorConfigSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("manual") }),
  z.strictObject({
    kind: z.literal("gateway"),
    url: z.string().url(),
    apiKey: z.string().min(1),
    timeoutMs: z.number().int().min(500).max(120_000).default(15_000),
  }),
]);

export type ProcessorConfig = z.infer<typeof processorConfigSchema>;
