import { z } from "zod";
import { sealedCardSchema } from "./sealed-card.js";

/**
 * The gateway's HTTP JSON API, as both the kiosk's client and the gateway simulator speak it.
 * Money is integer minor units; card data appears only sealed, encrypted by the reader, or as a
 * token. Every request that moves money carries an `Idempotency-Key` header.
 */

export const IDEMPOTENCY_HEADER = "idempotency-key";

const minor = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const currency = z.string().regex(/^[A-Z]{3}$/);
const masked = z.string().regex(/^\d{6}\*{2,9}\d{4}$/);

export const wireSourceSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("sealed_card"), sealed: sealedCardSchema }),
  z.strictObject({
    type: z.literal("encrypted_track"),
    format: z.literal("magtek-magnesafe"),
    ksn: z.string().regex(/^[0-9A-Fa-f]{10,40}$/),
    track2: z.string().regex(/^[0-9A-Fa-f]{2,2048}$/),
    track1: z
      .string()
      .regex(/^[0-9A-Fa-f]{2,2048}$/)
      .nullable(),
    device_serial: z.string().max(64).nullable(),
    masked_pan: masked,
    exp_month: z.number().int().min(1).max(12),
    exp_year: z.number().int().min(2000).max(2099),
  }),
  z.strictObject({ type: z.literal("token"), token: z.string().min(1).max(128) }),
  z.strictObject({ type: z.literal("hosted_session"), session_id: z.string().min(1).max(128) }),
]);
export type WireSource = z.infer<typeof wireSourceSchema>;

export const wireCardSchema = z.strictObject({
  brand: z.string().max(40).nullable(),
  bin: z
    .string()
    .regex(/^\d{6}$/)
    .nullable(),
  last4: z.string().regex(/^\d{4}$/),
  exp_month: z.number().int().min(1).max(12).nullable(),
  exp_year: z.number().int().nullable(),
});

export const chargeRequestSchema = z.strictObject({
  amount_minor: minor,
  currency,
  source: wireSourceSchema,
  metadata: z.strictObject({ record_id: z.string().max(64), device_id: z.string().max(64) }),
});
export type ChargeRequest = z.infer<typeof chargeRequestSchema>;

export const chargeSchema = z.strictObject({
  id: z.string(),
  object: z.literal("charge"),
  status: z.enum(["succeeded", "voided"]),
  amount_minor: minor,
  amount_refunded_minor: z.number().int().min(0),
  currency,
  authorization_code: z.string(),
  card: wireCardSchema,
  token: z.string().nullable(),
  idempotency_key: z.string(),
  metadata: z.strictObject({ record_id: z.string(), device_id: z.string() }),
  created_at: z.string(),
});
export type WireCharge = z.infer<typeof chargeSchema>;

export const refundRequestSchema = z.strictObject({
  charge_id: z.string().min(1).max(64),
  amount_minor: minor,
  metadata: z.strictObject({ record_id: z.string().max(64), device_id: z.string().max(64) }),
});

export const refundSchema = z.strictObject({
  id: z.string(),
  object: z.literal("refund"),
  charge_id: z.string(),
  amount_minor: minor,
  currency,
  idempotency_key: z.string(),
  created_at: z.string(),
});

export const tokenRequestSchema = z.strictObject({ source: wireSourceSchema, client_id: z.string().max(64) });
export const tokenSchema = z.strictObject({
  object: z.literal("token"),
  token: z.string(),
  card: wireCardSchema,
});

export const sessionRequestSchema = z.strictObject({
  purpose: z.enum(["charge", "save"]),
  amount_minor: minor.nullable(),
  currency: currency.nullable(),
});
export const sessionSchema = z.strictObject({
  object: z.literal("session"),
  id: z.string(),
  url: z.string(),
  status: z.enum(["open", "completed", "cancelled", "expired"]),
  token: z.string().nullable(),
  card: wireCardSchema.nullable(),
});

/** A decline or error: `code` is what the kiosk maps to its own coded errors. */
export const DECLINE_CODES = [
  "card_declined",
  "insufficient_funds",
  "expired_card",
  "do_not_honor",
  "invalid_card",
] as const;
export const errorSchema = z.strictObject({
  error: z.strictObject({
    type: z.enum([
      "card_error",
      "idempotency_error",
      "invalid_request_error",
      "api_error",
      "authentication_error",
    ]),
    code: z.string(),
    message: z.string(),
  }),
});
export type WireError = z.infer<typeof errorSchema>;

export const encryptionKeySchema = z.strictObject({
  alg: z.literal("RSA-OAEP-256"),
  public_key_pem: z.string(),
});
