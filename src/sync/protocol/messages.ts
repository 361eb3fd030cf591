import { z } from "zod";
import { ID_PATTERN } from "../../core/ids.js";
import { endOfDayItemSchema } from "../../payments/end-of-day.js";
import { invoiceSchema } from "../../payments/invoice.js";
import { paymentRecordSchema } from "../../payments/payment-record.js";
import { AMOUNT_CEILING_MINOR, MAX_REVISION } from "../../payments/record/bounds.js";
import { isValidTimeZone } from "../../payments/studio-date.js";
import { boundedJson, boundedRecord } from "./bounded-json.js";
import { hostHealthSchema } from "./host-health.js";
import { DEVICE_ID_PATTERN } from "./topics.js";

/** The most records one batch may carry; the agent's batchSize is capped at this. */
export const MAX_BATCH_RECORDS = 1000;
/** The most invoices and clients one catalog page may carry. */
export const MAX_CATALOG_PAGE = 1000;

const instant = z.iso.datetime({ offset: true });
export const messageIdSchema = z.string().regex(ID_PATTERN, "a UUID");
const recordId = z.string().min(1).max(64);
const revision = z.number().int().min(1).max(MAX_REVISION);
const json = z.json();

/** The largest PostgreSQL `integer`: versions and counters central keeps in one. */
export const MAX_INT4 = 2_147_483_647;
/** A count or an age central keeps in an `integer` column. */
const int4Count = z.number().int().min(0).max(MAX_INT4);
/** A count central keeps in a `bigint` (JavaScript's safe integers are within it). */
const int8Count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const configVersion = z.number().int().min(1).max(MAX_INT4);
/** Values of a reported configuration: the kiosk's own settings, the staff list the largest. */
const settingValue = boundedJson({
  maxDepth: 8,
  maxNodes: 10_000,
  maxEntries: 1_000,
  maxStringLength: 2_000,
});
/** What a command produced: diagnostics carry the kiosk's whole configuration and its last errors. */
const resultValue = boundedJson({
  maxDepth: 16,
  maxNodes: 20_000,
  maxEntries: 1_000,
  maxStringLength: 4_000,
});

// ---- kiosk → central ------------------------------------------------------------------------------

/**
 * Records in outbox order; each is a whole revision of a payment record, as the record's
 * description (payments/record/record-fields.ts) defines it, every field bounded.
 */
export const recordBatchSchema = z.strictObject({
  records: z.array(paymentRecordSchema).min(1).max(MAX_BATCH_RECORDS),
});

/**
 * Retained availability. A connection's id is a UUIDv7 made when it connects, so central orders
 * states by connection (a later connection wins; within one, offline ends online) and a Last Will
 * delivered late cannot mark a kiosk that has reconnected as offline.
 */
export const deviceStateSchema = z.strictObject({
  state: z.enum(["online", "offline"]),
  connectionId: messageIdSchema,
  reason: z.enum(["connected", "shutdown", "connection-lost"]),
});

export const DRIVER_HEALTH = [
  "connected",
  "disconnected",
  "error",
  "disabled",
  "simulated",
  "paper-out",
] as const;

/**
 * The door or tamper switch, as a device among the drivers' health in telemetry (absent when the
 * kiosk has none): "error" with detail "open" when it reads open, "connected" with "closed" when shut.
 */
export const TAMPER_SWITCH_DEVICE = "tamper";

export const driverHealthSchema = z.strictObject({
  status: z.enum(DRIVER_HEALTH),
  detail: z.string().max(200).nullable(),
});

export const telemetrySchema = z.strictObject({
  softwareVersion: z.string().max(40),
  uptimeSeconds: int8Count,
  outbox: z.strictObject({
    depth: int4Count,
    /** How long the oldest unsynced record has waited; null when nothing waits. */
    oldestUnsyncedAgeSeconds: int4Count.nullable(),
  }),
  drivers: boundedRecord(32, 40, driverHealthSchema),
  disk: z.strictObject({
    freeBytes: int8Count.nullable(),
    /** The data directory's file system's size; absent from older kiosks. */
    totalBytes: int8Count.nullable().optional(),
  }),
  /** The kiosk's computer: temperature, throttling, memory, addresses, OS; absent from older kiosks. */
  host: hostHealthSchema.optional(),
  /** When central last acknowledged records, or the outbox was found empty while connected. */
  lastSyncAt: instant.nullable(),
  /** The "Out of service" lock, set at the kiosk or by a command; absent from older kiosks. */
  lock: z
    .strictObject({
      locked: z.boolean(),
      reason: z.string().max(200).nullable(),
      by: z.string().max(120).nullable(),
    })
    .optional(),
});

/** "Send me the invoices and clients changed after `since`": the kiosk pulls, a page at a time. */
export const catalogRequestSchema = z.strictObject({
  since: int8Count,
  limit: z.number().int().min(1).max(MAX_CATALOG_PAGE),
});

/** Which desired configuration the kiosk runs now (issue #7 fills in the settings). */
export const reportedConfigSchema = z.strictObject({
  /** The desired version applied; null when the kiosk runs only its local file. */
  version: configVersion.nullable(),
  settings: boundedRecord(200, 80, settingValue),
  appliedAt: instant,
  /** The last desired version refused (it did not validate), with every problem; the old one runs. */
  refused: z
    .strictObject({ version: configVersion, problems: z.array(z.string().max(300)).max(50) })
    .nullable()
    .default(null),
  /** The kiosk's studio and its time zone: central groups the day's paperwork and shows times by it. */
  studio: z
    .strictObject({
      name: z.string().min(1).max(80),
      timeZone: z.string().max(64).refine(isValidTimeZone, "an IANA time zone"),
    })
    .nullable()
    .optional(),
});

export const COMMAND_OUTCOMES = ["accepted", "rejected", "completed", "failed"] as const;

export const commandResultSchema = z.strictObject({
  commandId: messageIdSchema,
  outcome: z.enum(COMMAND_OUTCOMES),
  /** A KioskError code when rejected or failed. */
  code: z.string().max(64).nullable(),
  detail: z.string().max(500).nullable(),
  /** What the command produced (send-diagnostics: health, versions, last errors, configuration). */
  data: boundedRecord(64, 80, resultValue).nullable().default(null),
  at: instant,
});

/**
 * Clients' saved cards (the processor's token with brand, last 4 and expiry — never the number),
 * sent until central acknowledges them, so payment plans can be managed from central too.
 */
export const savedCardSchema = z.strictObject({
  token: z.string().min(1).max(128),
  clientId: z.string().min(1).max(64),
  brand: z.string().max(40).nullable(),
  last4: z.string().regex(/^\d{4}$/),
  expMonth: z.number().int().min(1).max(12).nullable(),
  expYear: z.number().int().min(2000).max(2099).nullable(),
  createdAt: instant,
  removedAt: instant.nullable(),
  /** Who agreed to keep the card ("client", or a staff id) and when; absent from older kiosks. */
  consentBy: z.string().min(1).max(64).nullable().optional(),
  consentAt: instant.nullable().optional(),
});
export const MAX_SAVED_CARDS = 500;
export const savedCardsSchema = z.strictObject({
  cards: z.array(savedCardSchema).min(1).max(MAX_SAVED_CARDS),
});

/**
 * Card work a kiosk's key may not do (refunds, voids of captured charges): the kiosk asks central,
 * which checks the charge against its own records and does it with the studio's full key. The
 * idempotency key is the kiosk's intent's, so asking again never refunds twice.
 */
export const cardOperationSchema = z.strictObject({
  operationId: messageIdSchema,
  kind: z.enum(["refund", "void"]),
  idempotencyKey: z.string().min(1).max(120),
  chargeId: z.string().min(1).max(255),
  /** The refund's amount (a void takes back what is left of the charge: null). */
  amountMinor: z.number().int().min(1).max(AMOUNT_CEILING_MINOR).nullable(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .nullable(),
  recordId: recordId.nullable(),
});

/** The most end-of-day items one message may carry. */
export const MAX_END_OF_DAY_ITEMS = 200;

/**
 * End-of-day paperwork in outbox order: shifts, drawer counts and X/Z reports, each a whole revision
 * (payments/end-of-day.ts), sent until central acknowledges it like records.
 */
export const endOfDayBatchSchema = z.strictObject({
  items: z.array(endOfDayItemSchema).min(1).max(MAX_END_OF_DAY_ITEMS),
});

// ---- central → kiosk ------------------------------------------------------------------------------

export const END_OF_DAY_OUTCOMES = ["stored", "superseded", "duplicate", "conflict", "rejected"] as const;
export type EndOfDayOutcome = (typeof END_OF_DAY_OUTCOMES)[number];

/**
 * What central made of each end-of-day item revision: stored, superseded (a later revision was there), duplicate (already had it), or refused
 * (conflict, rejected: kept in central's dead letters). Every answered revision is marked synced.
 */
export const endOfDayAckSchema = z.strictObject({
  batchId: messageIdSchema,
  results: z
    .array(
      z.strictObject({
        id: recordId,
        revision,
        outcome: z.enum(END_OF_DAY_OUTCOMES),
      }),
    )
    .max(MAX_END_OF_DAY_ITEMS),
});

/** What central made of a card operation: done (the processor's refund), refused (why), or not known. */
export const cardOperationResultSchema = z.discriminatedUnion("outcome", [
  z.strictObject({
    operationId: messageIdSchema,
    outcome: z.literal("done"),
    refundId: z.string().min(1).max(255),
    amountMinor: z.number().int().min(1).max(AMOUNT_CEILING_MINOR),
    currency: z.string().regex(/^[A-Z]{3}$/),
  }),
  z.strictObject({
    operationId: messageIdSchema,
    outcome: z.enum(["refused", "unknown"]),
    code: z.string().min(1).max(64),
    message: z.string().max(300),
  }),
]);

/** Central stored these saved cards: the kiosk marks them synced. */
export const savedCardsAckSchema = z.strictObject({
  tokens: z.array(z.string().min(1).max(128)).max(MAX_SAVED_CARDS),
});

/**
 * stored: committed as the record's newest revision · superseded: committed to history, a newer
 * revision was already there · duplicate: this exact revision was already committed · conflict: the
 * same revision with different content, or a record id of another device — kept in dead letters,
 * the stored one untouched · rejected: something in the record itself is wrong (never the database's
 * own trouble, which is retried unacknowledged) — kept in dead letters. The kiosk marks every
 * acknowledged revision synced: central holds each one durably, either way; a conflict or a rejection
 * stays listed at the kiosk with its code and reason, for staff to follow up.
 */
export const ACK_OUTCOMES = ["stored", "superseded", "duplicate", "conflict", "rejected"] as const;
export type AckOutcome = (typeof ACK_OUTCOMES)[number];

export const recordAckResultSchema = z.strictObject({
  recordId,
  revision,
  outcome: z.enum(ACK_OUTCOMES),
  /** Why central refused it (conflict, rejected): the dead letter's code and reason. */
  code: z.string().max(64).optional(),
  reason: z.string().max(500).optional(),
});

export const recordAckSchema = z.strictObject({
  /** The message id of the batch this answers. */
  batchId: messageIdSchema,
  results: z.array(recordAckResultSchema).max(MAX_BATCH_RECORDS),
});

export const clientUpdateSchema = z.strictObject({
  id: z.string().min(1).max(64),
  firstName: z.string().max(80),
  lastName: z.string().min(1).max(80),
  version: z.number().int().min(1),
});

/** The kiosk a signed message is for: part of what central signs, so it cannot be replayed to another. */
const targetDeviceId = z.string().regex(DEVICE_ID_PATTERN, "a device id");
/** Base64 Ed25519 signature; an unsigned message still decodes, so it can be refused with a code. */
const signature = z.string().max(1024).default("");

/**
 * Changes after `since`, in change order, up to `cursor`; `more` says whether to ask again. It fills
 * the kiosk's invoice cache, so central signs it like a command, under its own label, over every
 * other field: the kiosk it answers and a validity window.
 */
export const catalogPageSchema = z.strictObject({
  deviceId: targetDeviceId,
  since: z.number().int().min(0),
  cursor: z.number().int().min(0),
  more: z.boolean(),
  clients: z.array(clientUpdateSchema).max(MAX_CATALOG_PAGE),
  invoices: z.array(invoiceSchema).max(MAX_CATALOG_PAGE),
  issuedAt: instant,
  expiresAt: instant,
  signature,
});

/** A nudge: central's catalog moved to `cursor`; a kiosk behind it pulls. Losing one is harmless. */
export const catalogChangedSchema = z.strictObject({ cursor: z.number().int().min(0) });

/**
 * "Stripe says this payment page was paid (or expired)": central passes on Stripe's signed webhook.
 * It moves no money: the kiosk only looks the page up at Stripe now, instead of at its next poll, so
 * a forged notice costs one look-up. Unsigned for that reason.
 */
export const paymentNoticeSchema = z.strictObject({
  sessionId: z.string().regex(/^cs_[A-Za-z0-9_]{1,250}$/, "a Checkout Session id"),
  status: z.enum(["paid", "expired"]),
});

const base64url = (max: number) =>
  z
    .string()
    .regex(/^[A-Za-z0-9_-]*$/)
    .max(max);

/** A secret sealed to one device (src/core/sealed-secret.ts): only that kiosk's private key opens it. */
export const sealedSecretSchema = z.strictObject({
  alg: z.literal("X25519-HKDF-SHA256-A256GCM"),
  epk: base64url(64),
  iv: base64url(32),
  ciphertext: base64url(8192),
  tag: base64url(32),
});

/** A kiosk secret's name (a processor's key): the file it is kept in, in the kiosk's secret store. */
export const SECRET_NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * Retained: the configuration central wants this kiosk to run. Signed like a command (every other
 * field, canonical JSON): the target device, a version that only counts up, and an expiry. It may
 * carry secrets (a processor's key), each sealed to this kiosk's device key.
 */
export const desiredConfigSchema = z.strictObject({
  deviceId: targetDeviceId,
  version: z.number().int().min(1).max(2_147_483_647),
  settings: z.record(z.string().max(80), json),
  secrets: z
    .record(z.string().regex(SECRET_NAME_PATTERN), sealedSecretSchema)
    .refine((secrets) => Object.keys(secrets).length <= 16, "at most 16 secrets")
    .optional(),
  issuedAt: instant,
  expiresAt: instant,
  issuedBy: z.string().max(64),
  signature,
});

export const COMMAND_NAMES = [
  "lock",
  "unlock",
  "restart",
  "sync-now",
  "reload-invoices",
  "set-log-level",
  "send-diagnostics",
  "update",
] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

/**
 * A signed instruction for one kiosk. The signature covers every other field in canonical JSON, the
 * target `deviceId` included, so a command is refused by any other kiosk, a replay by its id and a
 * stale one by `expiresAt`.
 */
export const commandSchema = z.strictObject({
  commandId: messageIdSchema,
  deviceId: targetDeviceId,
  name: z.enum(COMMAND_NAMES),
  args: z.record(z.string().max(40), json),
  issuedAt: instant,
  expiresAt: instant,
  issuedBy: z.string().max(64),
  signature,
});

export type RecordBatch = z.infer<typeof recordBatchSchema>;
export type DeviceState = z.infer<typeof deviceStateSchema>;
export type DriverHealth = z.infer<typeof driverHealthSchema>;
export type Telemetry = z.infer<typeof telemetrySchema>;
export type CatalogRequest = z.infer<typeof catalogRequestSchema>;
export type ReportedConfig = z.infer<typeof reportedConfigSchema>;
export type CommandResult = z.infer<typeof commandResultSchema>;
export type SavedCardMessage = z.infer<typeof savedCardSchema>;
export type SavedCards = z.infer<typeof savedCardsSchema>;
export type SavedCardsAck = z.infer<typeof savedCardsAckSchema>;
export type RecordAck = z.infer<typeof recordAckSchema>;
export type EndOfDayBatch = z.infer<typeof endOfDayBatchSchema>;
export type EndOfDayAck = z.infer<typeof endOfDayAckSchema>;
export type RecordAckResult = z.infer<typeof recordAckResultSchema>;
export type ClientUpdateMessage = z.infer<typeof clientUpdateSchema>;
export type CatalogPage = z.infer<typeof catalogPageSchema>;
export type CatalogChanged = z.infer<typeof catalogChangedSchema>;
export type PaymentNotice = z.infer<typeof paymentNoticeSchema>;
export type CardOperationMessage = z.infer<typeof cardOperationSchema>;
export type CardOperationResultMessage = z.infer<typeof cardOperationResultSchema>;
export type DesiredConfig = z.infer<typeof desiredConfigSchema>;
export type Command = z.infer<typeof commandSchema>;
