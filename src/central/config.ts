import { z } from "zod";
import { AMOUNT_CEILING_MINOR } from "../payments/record/bounds.js";
import { centralBrokerConfigSchema, reconnectSchema } from "../sync/config.js";
import { alertsConfigSchema } from "./alerts/config.js";
import { balancesConfigSchema } from "./balances/config.js";
import { integrationApiConfigSchema } from "./integration-api/api-config.js";
import { mailConfigSchema } from "./mail/config.js";

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
  /**
   * The largest amount of a record central stores, in minor units; a larger one is refused (dead
   * letter, acknowledged "rejected"). Keep it at or above every kiosk's limits.maxAmountMinor: the
   * default is the ceiling every record is held to (1,000,000,000.00 in a two-decimal currency).
   */
  maxAmountMinor: z.number().int().min(1).max(AMOUNT_CEILING_MINOR).default(AMOUNT_CEILING_MINOR),
  /** Records written per database transaction, at most. */
  maxBatchRecords: z.number().int().min(1).max(20_000).default(2000),
  /** Transactions a worker runs at once (keep it within central.database.poolSize). */
  concurrentBatches: z.number().int().min(1).max(16).default(2),
  /**
   * How long a catalog page stays valid after central signs it (with `dashboard.commandKeyFile`):
   * a kiosk refuses an older one (REMOTE_CATALOG_EXPIRED) and asks again at its next pull.
   */
  catalogPageTtlSeconds: z.number().int().min(30).max(86_400).default(600),
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
  /**
   * Addresses of reverse proxies in front of the dashboard (exact IPs, e.g. "127.0.0.1" for nginx on
   * the same host): only from these is `X-Forwarded-For` believed, to count sign-ins per client address.
   */
  trustedProxies: z.array(z.ipv4().or(z.ipv6())).max(32).default([]),
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
  /**
   * Failed sign-ins for one name (`maxFailures`), and from one client address whatever the names
   * (`maxFailuresPerAddress`), before either is refused for `lockoutMinutes`.
   */
  signIn: z
    .strictObject({
      maxFailures: z.number().int().min(1).max(100).default(5),
      maxFailuresPerAddress: z.number().int().min(1).max(10_000).default(20),
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
  /**
   * How long a signed desired configuration stays valid: it is retained for kiosks that are offline,
   * and one that comes back later refuses it (REMOTE_CONFIG_EXPIRED) until it is pushed again.
   */
  desiredConfigTtlDays: z.number().int().min(1).max(365).default(30),
  /** Telemetry history older than this is deleted (hourly). */
  telemetryRetentionDays: z.number().int().min(1).max(3650).default(30),
});

/** `/metrics` for Prometheus (src/central/metrics), served on the dashboard's address. */
export const metricsConfigSchema = z.strictObject({
  /**
   * The bearer token a scrape must send (one line, 32–256 URL-safe characters, mode 0600). null:
   * `/metrics` answers 404 METRICS_NOT_CONFIGURED — never open to all.
   */
  tokenFile: z.string().min(1).max(4096).nullable().default(null),
  /** At most this many kiosks are exported (by id); beyond, spectra_kiosks_not_exported counts them. */
  maxKiosks: z.number().int().min(1).max(100_000).default(1000),
});

/**
 * Central's side of Stripe: the endpoint Stripe's webhooks reach (pay on your phone is reported
 * there), with its signing secret, both in files only central's user can read.
 */
export const centralStripeConfigSchema = z.strictObject({
  /** Where central listens for Stripe's webhooks (behind the studio's HTTPS proxy); port 0: any free one. */
  webhook: z
    .strictObject({
      host: z.string().min(1).default("127.0.0.1"),
      port: z.number().int().min(0).max(65_535).default(8091),
      path: z
        .string()
        .regex(/^\/[A-Za-z0-9/_-]{0,100}$/)
        .default("/stripe/webhook"),
    })
    .prefault({}),
  /** The webhook endpoint's signing secret (`whsec_…`), mode 0600. */
  webhookSecretFile: z.string().min(1).max(4096),
  /** How old a signed event may be (Stripe's own default tolerance: 5 minutes). */
  toleranceSeconds: z.number().int().min(10).max(3600).default(300),
  /**
   * The studio's full secret key (`sk_…`), mode 0600: central makes the refunds kiosks ask for (their
   * restricted keys may not). null: central makes none, and kiosks' refunds are refused as unreachable.
   */
  apiKeyFile: z.string().min(1).max(4096).nullable().default(null),
  /**
   * Due future payments central charges off-session to clients' saved cards with `apiKeyFile`'s key
   * (a kiosk may be off at night): how often it looks, the studio's time zone that says what is due
   * today, and the retry schedule for soft declines. Needs `apiKeyFile`.
   */
  collections: z
    .strictObject({
      enabled: z.boolean().default(true),
      intervalMinutes: z
        .number()
        .int()
        .min(1)
        .max(24 * 60)
        .default(15),
      timeZone: z
        .string()
        .min(1)
        .max(64)
        .refine((zone) => {
          try {
            new Intl.DateTimeFormat("en-US", { timeZone: zone });
            return true;
          } catch {
            return false;
          }
        }, "an IANA time zone, such as America/Denver")
        .default("UTC"),
      retryIntervalHours: z
        .number()
        .int()
        .min(1)
        .max(24 * 14)
        .default(24),
      maxAttempts: z.number().int().min(1).max(10).default(3),
    })
    .prefault({}),
  /** Where the SDK sends requests instead of api.stripe.com (the Stripe simulator, in tests). */
  endpoint: z
    .strictObject({
      host: z.string().min(1).max(255),
      port: z.number().int().min(1).max(65_535),
      protocol: z.enum(["http", "https"]),
    })
    .optional(),
});

/**
 * Central's side of Authorize.Net: the transaction key central makes the refunds above a kiosk's
 * limit with, in a file only central's user can read (never a kiosk's key, never in this file).
 */
export const centralAuthorizeNetConfigSchema = z.strictObject({
  environment: z.enum(["production", "sandbox"]).default("production"),
  /** Overrides the environment's API endpoint (the simulator, in tests). */
  endpoint: z.string().url().startsWith("https://").optional(),
  /** A certificate (PEM file) to trust besides the system's, for an endpoint behind a private CA. */
  caFile: z.string().min(1).max(4096).optional(),
  apiLoginId: z.string().regex(/^[A-Za-z0-9]{1,25}$/, "Authorize.Net's API login id: letters and digits"),
  /** The transaction key, mode 0600. */
  transactionKeyFile: z.string().min(1).max(4096),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .default("USD"),
  timeoutMs: z.number().int().min(500).max(120_000).default(15_000),
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
  metrics: metricsConfigSchema.prefault({}),
  /** Invoice accounts pushed to kiosks: signed with `dashboard.commandKeyFile` (src/central/balances). */
  balances: balancesConfigSchema.prefault({}),
  /** The integration API a studio's systems post invoices and payments to (docs/integration.md). */
  integrationApi: integrationApiConfigSchema.prefault({}),
  /** Stripe's webhooks, when the studio takes cards through Stripe; null: none. */
  stripe: centralStripeConfigSchema.nullable().default(null),
  /** Authorize.Net, when the studio takes cards through it: central makes the large refunds; null: none. */
  authorizeNet: centralAuthorizeNetConfigSchema.nullable().default(null),
  /** The studio's SMTP relay: central emails receipts kiosks ask for. null: none is sent (kiosks are told). */
  mail: mailConfigSchema.nullable().default(null),
  /** Fleet alerts: rules with thresholds, raised and cleared, emailed and posted to a web hook. */
  alerts: alertsConfigSchema.prefault({}),
});

export type CentralConfig = z.infer<typeof centralConfigSchema>;
export type IngestConfig = z.infer<typeof ingestConfigSchema>;
export type DashboardConfig = z.infer<typeof dashboardConfigSchema>;
export type MetricsConfig = z.infer<typeof metricsConfigSchema>;
export type CentralStripeConfig = z.infer<typeof centralStripeConfigSchema>;
export type CentralAuthorizeNetConfig = z.infer<typeof centralAuthorizeNetConfigSchema>;
