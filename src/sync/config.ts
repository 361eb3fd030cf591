import { z } from "zod";

const protocolVersion = z.union([z.literal(4), z.literal(5)]);

/** Credentials and transport for a broker this process does not run. */
export const externalBroker = {
  url: z.string().regex(/^(mqtts?|wss?|tcp|ssl):\/\//, "an mqtt://, mqtts://, ws:// or wss:// URL"),
  /** Each kiosk has its own user, named like its deviceId (the broker ACL keys on it). */
  username: z.string().optional(),
  password: z.string().optional(),
  /** PEM file of the CA that signed the broker's certificate (mqtts://). */
  caFile: z.string().optional(),
  /** 5 (MQTT 5) for Mosquitto; 4 (MQTT 3.1.1) works with any broker. Nothing relies on 5-only features. */
  protocolVersion: protocolVersion.default(5),
  keepaliveSeconds: z.number().int().min(5).max(600).default(30),
};

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
  z.strictObject({ mode: z.literal("external"), ...externalBroker }),
]);

export const reconnectSchema = z.strictObject({
  /** The first wait after a lost or refused connection; doubles per failure, with jitter. */
  initialDelayMs: z.number().int().min(50).max(60_000).default(500),
  maxDelayMs: z.number().int().min(100).max(600_000).default(30_000),
});

export const syncConfigSchema = z.strictObject({
  /** Whether `start` runs the sync agent in the kiosk process (`spectra-kiosk sync` runs it alone). */
  enabled: z.boolean().default(true),
  broker: brokerConfigSchema.default({ mode: "embedded", port: 1884, host: "127.0.0.1" }),
  /** Records per batch message (a backlog drains in batches this big; one new record goes alone). */
  batchSize: z.number().int().min(1).max(1000).default(500),
  /** How long a short batch waits for more records before it goes. */
  lingerMs: z.number().int().min(0).max(10_000).default(50),
  /** A batch is cut before it grows past this (keep it under central's ingest.maxMessageBytes). */
  maxBatchBytes: z
    .number()
    .int()
    .min(4096)
    .max(16 * 1024 * 1024)
    .default(768 * 1024),
  /** Batches sent and not yet acknowledged by central, at most. */
  maxInFlightBatches: z.number().int().min(1).max(64).default(8),
  /** With no ack for this long, everything unsynced is sent again (central ignores duplicates). */
  ackTimeoutMs: z.number().int().min(200).max(600_000).default(10_000),
  /** How often an idle agent looks for new outbox rows. */
  pollIntervalMs: z.number().int().min(10).max(10_000).default(200),
  telemetryIntervalSeconds: z.number().int().min(1).max(3600).default(30),
  /** Invoices and clients asked for per catalog page. */
  catalogPageSize: z.number().int().min(1).max(1000).default(500),
  reconnect: reconnectSchema.prefault({}),
});

export const centralBrokerConfigSchema = z.discriminatedUnion("mode", [
  /** The broker `start` runs in the kiosk process (sync.broker must be "embedded"). */
  z.strictObject({ mode: z.literal("embedded") }),
  z.strictObject({ mode: z.literal("external"), ...externalBroker }),
]);

export type SyncConfig = z.infer<typeof syncConfigSchema>;
export type BrokerConfig = z.infer<typeof brokerConfigSchema>;
export type ExternalBrokerConfig = Extract<BrokerConfig, { mode: "external" }>;
export type CentralBrokerConfig = z.infer<typeof centralBrokerConfigSchema>;
