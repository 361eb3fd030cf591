import { z } from "zod";

const protocolVersion = z.union([z.literal(4), z.literal(5)]);

/** Credentials and transport for a broker this process does not run. */
const externalBroker = {
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

const reconnectSchema = z.strictObject({
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

export const ingestConfigSchema = z.strictObject({
  /** Ingest workers in this process; more processes can join through the shared subscription. */
  workers: z.number().int().min(1).max(16).default(1),
  /**
   * The `$share/{group}/...` group the workers join (external broker only: the embedded aedes
   * broker has no shared subscriptions, so there one worker subscribes plainly).
   */
  shareGroup: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .default("ingest"),
  /** Larger messages are dead-lettered unread. Keep the broker's message_size_limit above it. */
  maxMessageBytes: z
    .number()
    .int()
    .min(1024)
    .max(256 * 1024 * 1024)
    .default(1024 * 1024),
  /** Records written per database transaction, at most. */
  maxBatchRecords: z.number().int().min(1).max(20_000).default(2000),
  /** Transactions a worker runs at once (keep it within central.database.poolSize). */
  concurrentBatches: z.number().int().min(1).max(16).default(2),
  reconnect: reconnectSchema.prefault({}),
});

/** The fleet dashboard: central's web pages (src/central/dashboard). */
export const dashboardConfigSchema = z.strictObject({
  /** Serve the dashboard from this central process (`spectra-kiosk central`, or `start` when central runs). */
  enabled: z.boolean().default(false),
  /** 127.0.0.1 keeps it off the network; put a TLS reverse proxy in front to serve it further. */
  host: z.string().min(1).default("127.0.0.1"),
  port: z.number().int().min(0).max(65535).default(8090),
  /** Mark the session cookie Secure: set it when the dashboard is reached over HTTPS (a proxy). */
  secureCookie: z.boolean().default(false),
  session: z
    .strictObject({
      /** A session unused this long ends. */
      idleMinutes: z
        .number()
        .int()
        .min(1)
        .max(24 * 60)
        .default(30),
      /** A session ends this long after sign-in, however busy. */
      absoluteHours: z
        .number()
        .int()
        .min(1)
        .max(24 * 30)
        .default(12),
    })
    .prefault({}),
  /** Failed sign-ins for one name before it is refused for `lockoutMinutes`. */
  signIn: z
    .strictObject({
      maxFailures: z.number().int().min(1).max(100).default(5),
      lockoutMinutes: z
        .number()
        .int()
        .min(1)
        .max(24 * 60)
        .default(15),
    })
    .prefault({}),
  /**
   * Central's Ed25519 private key (PEM, from `spectra-kiosk central keys generate`): every command is
   * signed with it. Without it the dashboard shows the fleet but sends no commands.
   */
  commandKeyFile: z.string().min(1).nullable().default(null),
  /**
   * Create the key pair at start when commandKeyFile does not exist yet, with the public half beside
   * it as `<file>.pub` (the laptop setup, where the kiosk reads it from there). Off in production:
   * a key every kiosk trusts is made on purpose, with `central keys generate`.
   */
  createCommandKey: z.boolean().default(false),
  /** How long a command stays valid after it is issued; a kiosk refuses it after that. */
  commandTtlSeconds: z.number().int().min(30).max(3600).default(300),
  /** Telemetry history older than this is deleted (hourly). */
  telemetryRetentionDays: z.number().int().min(1).max(3650).default(30),
});

export const centralConfigSchema = z.strictObject({
  /** Run central (ingest and, when enabled, the dashboard) in this process too: the laptop demo does. */
  enabled: z.boolean().default(false),
  database: z
    .discriminatedUnion("mode", [
      z.strictObject({
        mode: z.literal("embedded"),
        dataDir: z.string().default("data/central"),
        /** A catalog file (as `central import` reads) loaded when the catalog is empty: the laptop demo's invoices. */
        seedCatalogFile: z.string().min(1).optional(),
      }),
      z.strictObject({
        mode: z.literal("postgres"),
        url: z.string().min(1),
        poolSize: z.number().int().min(1).max(64).default(4),
      }),
    ])
    .default({ mode: "embedded", dataDir: "data/central" }),
  broker: centralBrokerConfigSchema.default({ mode: "embedded" }),
  ingest: ingestConfigSchema.prefault({}),
  dashboard: dashboardConfigSchema.prefault({}),
});

export type SyncConfig = z.infer<typeof syncConfigSchema>;
export type BrokerConfig = z.infer<typeof brokerConfigSchema>;
export type ExternalBrokerConfig = Extract<BrokerConfig, { mode: "external" }>;
export type CentralConfig = z.infer<typeof centralConfigSchema>;
export type IngestConfig = z.infer<typeof ingestConfigSchema>;
export type DashboardConfig = z.infer<typeof dashboardConfigSchema>;

/** Cross-section rules, run by the kiosk schema's refinement. */
export function syncProblems(config: {
  sync: SyncConfig;
  central: CentralConfig;
}): { path: (string | number)[]; message: string }[] {
  const problems: { path: (string | number)[]; message: string }[] = [];
  // Checked here when central runs in the kiosk process; `spectra-kiosk central` checks it on start.
  if (
    config.central.enabled &&
    config.central.broker.mode === "embedded" &&
    config.sync.broker.mode !== "embedded"
  ) {
    problems.push({
      path: ["central", "broker", "mode"],
      message: 'central can use the embedded broker only when sync.broker.mode is "embedded"',
    });
  }
  if (config.sync.reconnect.initialDelayMs > config.sync.reconnect.maxDelayMs) {
    problems.push({ path: ["sync", "reconnect", "initialDelayMs"], message: "is larger than maxDelayMs" });
  }
  return problems;
}
