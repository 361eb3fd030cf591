import { z } from "zod";
import { isEmailAddress } from "../../core/email-address.js";

const DAY_SECONDS = 24 * 60 * 60;

/** A rule that is on or off, with nothing to tune. */
const switchRule = z.strictObject({ enabled: z.boolean().default(true) }).prefault({});

/**
 * The conditions central watches on every kiosk (src/central/alerts). Each is raised once when it
 * starts and cleared when it ends; thresholds are bounded so a typo cannot make a rule meaningless.
 */
export const alertRulesSchema = z.strictObject({
  /** The kiosk has been offline (its Last Will, or its own goodbye) at least this long. */
  offline: z
    .strictObject({
      enabled: z.boolean().default(true),
      afterSeconds: z.number().int().min(1).max(DAY_SECONDS).default(300),
    })
    .prefault({}),
  /** The receipt printer reports paper out, an error, or that it is unplugged. */
  printer: switchRule,
  /** The card reader (or Stripe's smart reader) reports itself unplugged or in error. */
  reader: switchRule,
  /** The oldest record not yet at central has waited at least this long (as the kiosk reports it). */
  unsynced: z
    .strictObject({
      enabled: z.boolean().default(true),
      afterSeconds: z
        .number()
        .int()
        .min(1)
        .max(30 * DAY_SECONDS)
        .default(1800),
    })
    .prefault({}),
  /** Free space on the kiosk's data disk is below this share of the disk. */
  diskLow: z
    .strictObject({
      enabled: z.boolean().default(true),
      belowPercent: z.number().min(0.1).max(99).default(10),
    })
    .prefault({}),
  /** The door or tamper switch reads open (or cannot be read). */
  tamper: switchRule,
  /** The kiosk is locked "Out of service" (at the kiosk or by a command). */
  outOfService: switchRule,
});

/** Where alerts are sent by email: central.mail's relay, to these people. */
const alertEmailSchema = z.strictObject({
  to: z.array(z.string().refine(isEmailAddress, "an email address")).min(1).max(20),
});

/** A web hook every raise and clear is POSTed to as JSON. */
const alertWebhookSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/ }).max(2000),
  /** One attempt may take this long (connection and answer). */
  timeoutMs: z.number().int().min(200).max(60_000).default(5000),
  /** Attempts in all, with a growing pause between them; after the last the failure is logged. */
  attempts: z.number().int().min(1).max(10).default(3),
  /**
   * A shared secret (one line, 16–256 characters, mode 0600): each POST then carries
   * `X-Spectra-Signature: sha256=<HMAC of the body>`. null: unsigned.
   */
  secretFile: z.string().min(1).max(4096).nullable().default(null),
});

export const alertsConfigSchema = z.strictObject({
  /** Watch the fleet for the rules below (the dashboard shows open alerts and their history). */
  enabled: z.boolean().default(true),
  /** How often every kiosk is checked against the rules. */
  intervalSeconds: z.number().int().min(1).max(3600).default(30),
  /**
   * The dashboard's address as operators reach it (e.g. https://fleet.example.com): each email and
   * web hook links to the kiosk's page under it. null: central.dashboard's own address.
   */
  dashboardUrl: z
    .url({ protocol: /^https?$/ })
    .max(500)
    .nullable()
    .default(null),
  rules: alertRulesSchema.prefault({}),
  /** Email through central.mail (which must be set); null: no email. */
  email: alertEmailSchema.nullable().default(null),
  /** null: no web hook. */
  webhook: alertWebhookSchema.nullable().default(null),
  /**
   * A notification claimed by a central process that then died is taken over by another (or the
   * same, restarted) after this long. A process holds a send for longer when its channels need it
   * (every web hook attempt timing out): see claim-lease.ts.
   */
  notificationLeaseSeconds: z.number().int().min(10).max(3600).default(120),
  /** A notification still unsent this long after its raise or clear is marked failed, not sent late. */
  notificationMaxAgeHours: z
    .number()
    .int()
    .min(1)
    .max(7 * 24)
    .default(24),
  /** Alert history older than this is deleted (cleared alerts only; open ones stay). */
  retentionDays: z.number().int().min(1).max(3650).default(365),
});

export type AlertRulesConfig = z.infer<typeof alertRulesSchema>;
export type AlertsConfig = z.infer<typeof alertsConfigSchema>;
export type AlertWebhookConfig = z.infer<typeof alertWebhookSchema>;
