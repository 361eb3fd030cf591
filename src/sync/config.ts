import { z } from "zod";

/**
 * "embedded" starts an MQTT broker inside the process (laptop demo); "external" connects to the
 * configured one and, when it is down, keeps records queued — it never starts a broker of its own.
 */
export const brokerConfigSchema = z.discriminatedUnion("mode", [
  z.strictObject({
    mode: z.literal("embedded"),
    port: z.number().int().min(0).max(65535).default(1884),
    host: z.string().default("127.0.0.1"),
  }),
  z.strictObject({
    mode: z.literal("external"),
    url: z.string().regex(/^(mqtts?|wss?|tcp|ssl):\/\//, "an mqtt://, mqtts://, ws:// or wss:// URL"),
    username: z.string().optional(),
    password: z.string().optional(),
    caFile: z.string().optional(),
  }),
]);

export const syncConfigSchema = z.strictObject({
  enabled: z.boolean().default(true),
  broker: brokerConfigSchema.default({ mode: "embedded", port: 1884, host: "127.0.0.1" }),
  batchSize: z.number().int().min(1).max(1000).default(100),
  lingerMs: z.number().int().min(0).max(10_000).default(50),
  telemetryIntervalSeconds: z.number().int().min(5).max(3600).default(30),
});

export const centralConfigSchema = z.strictObject({
  /** Run central (ingest, and later the dashboard) in this process too: the laptop demo does. */
  enabled: z.boolean().default(false),
  database: z
    .discriminatedUnion("mode", [
      z.strictObject({ mode: z.literal("embedded"), dataDir: z.string().default("data/central") }),
      z.strictObject({ mode: z.literal("postgres"), url: z.string().min(1) }),
    ])
    .default({ mode: "embedded", dataDir: "data/central" }),
});

export type SyncConfig = z.infer<typeof syncConfigSchema>;
export type CentralConfig = z.infer<typeof centralConfigSchema>;
