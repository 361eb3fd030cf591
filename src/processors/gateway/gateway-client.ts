import { createPublicKey, type KeyObject } from "node:crypto";
import type { z } from "zod";
import { ErrorCodes } from "../../core/error-codes.js";
import { isKioskError, KioskError } from "../../core/kiosk-error.js";
import type { Logger } from "../../core/logger.js";
import { parseMaskedPan } from "../../payments/card/masked-pan.js";
import type {
  CardProcessor,
  CardSource,
  Charge,
  HostedEntryStatus,
  ProcessorCard,
  SavedCard,
} from "../../payments/card-processor.js";
import type { Money } from "../../payments/money.js";
import {
  chargeSchema,
  encryptionKeySchema,
  errorSchema,
  IDEMPOTENCY_HEADER,
  refundSchema,
  sessionSchema,
  tokenSchema,
  type WireCharge,
  type WireSource,
  type wireCardSchema,
} from "./api.js";
import { fromWireError } from "./gateway-errors.js";
import { type HttpAnswer, HttpTimeoutError, httpExchange } from "./http-exchange.js";
import { sealCard } from "./sealed-card.js";

export interface GatewayOptions {
  readonly url: string;
  readonly apiKey: string;
  readonly timeoutMs: number;
  readonly logger: Logger;
  /** Extra attempts after a failure that may be retried safely (same idempotency key). */
  readonly retries?: number;
}

type WireCard = z.infer<typeof wireCardSchema>;

function toCard(card: WireCard): ProcessorCard {
  const maskedPan = card.bin ? parseMaskedPan(`${card.bin}******${card.last4}`) : null;
  const expiry = card.exp_month && card.exp_year ? { month: card.exp_month, year: card.exp_year } : null;
  return { brand: card.brand, maskedPan, last4: card.last4, expiry };
}

function toCharge(charge: WireCharge): Charge {
  return {
    chargeId: charge.id,
    amount: { minor: charge.amount_minor, currency: charge.currency },
    authorizationCode: charge.authorization_code,
    card: toCard(charge.card),
    token: charge.token,
    idempotencyKey: charge.idempotency_key,
  };
}

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The HTTP gateway client. Every call that moves money sends an idempotency key, so it is retried
 * (with the same key) after a connection failure, a timeout or a 5xx: the gateway answers a repeated
 * key with the first answer, never a second charge. Declines are never retried.
 */
export function gatewayProcessor(options: GatewayOptions): CardProcessor {
  const base = options.url.replace(/\/+$/, "");
  const retries = options.retries ?? 2;
  let encryptionKey: Promise<KeyObject> | null = null;

  async function call<T>(
    method: "GET" | "POST",
    path: string,
    schema: z.ZodType<T>,
    body: unknown,
    idempotencyKey: string | null,
  ): Promise<T> {
    let lastError: KioskError | null = null;
    for (let attempt = 0; attempt <= retries; attempt += 1) {
      if (attempt > 0) await delay(100 * 2 ** (attempt - 1));
      let response: HttpAnswer;
      try {
        response = await httpExchange(`${base}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${options.apiKey}`,
            "content-type": "application/json",
            ...(idempotencyKey ? { [IDEMPOTENCY_HEADER]: idempotencyKey } : {}),
          },
          body: body === undefined ? null : JSON.stringify(body),
          timeoutMs: options.timeoutMs,
        });
      } catch (error) {
        const timedOut = error instanceof HttpTimeoutError;
        lastError = new KioskError(
          timedOut ? ErrorCodes.PROCESSOR_OUTCOME_UNKNOWN : ErrorCodes.PROCESSOR_UNAVAILABLE,
          timedOut
            ? "The card processor did not answer in time; the kiosk will check whether the card was charged."
            : "The card processor cannot be reached. Nothing was charged.",
          { path: path.split("?")[0] ?? path },
        );
        // Without an idempotency key a POST may not be repeated; GETs always may.
        if (method === "POST" && !idempotencyKey) break;
        options.logger.warn(
          `gateway ${method} ${path.split("?")[0]} failed (attempt ${attempt + 1}): ${lastError.code}`,
        );
        continue;
      }
      const json = safeJson(response.text);
      if (response.ok) {
        const parsed = schema.safeParse(json);
        if (parsed.success) return parsed.data;
        throw new KioskError(
          ErrorCodes.PROCESSOR_OUTCOME_UNKNOWN,
          "The card processor's answer was not understood; the kiosk will check whether the card was charged.",
          { status: response.status },
        );
      }
      const wireError = errorSchema.safeParse(json);
      const coded = fromWireError(response.status, wireError.success ? wireError.data : null);
      const retriable = response.status >= 500 || response.status === 429;
      if (!retriable || (method === "POST" && !idempotencyKey)) throw coded;
      lastError = coded;
    }
    throw (
      lastError ?? new KioskError(ErrorCodes.PROCESSOR_UNAVAILABLE, "The card processor cannot be reached.")
    );
  }

  async function processorKey(): Promise<KeyObject> {
    encryptionKey ??= call("GET", "/v1/encryption-key", encryptionKeySchema, undefined, null).then((key) =>
      createPublicKey(key.public_key_pem),
    );
    try {
      return await encryptionKey;
    } catch (error) {
      encryptionKey = null;
      throw error;
    }
  }

  async function wireSource(source: CardSource): Promise<WireSource> {
    switch (source.kind) {
      case "swiped": {
        const key = await processorKey();
        return {
          type: "sealed_card",
          sealed: sealCard(
            { number: source.card.digits(), expMonth: source.expiry.month, expYear: source.expiry.year },
            key,
          ),
        };
      }
      case "encrypted":
        return {
          type: "encrypted_track",
          format: source.payload.format,
          ksn: source.payload.ksn,
          track2: source.payload.encryptedTrack2,
          track1: source.payload.encryptedTrack1,
          device_serial: source.payload.deviceSerial,
          masked_pan: source.payload.maskedPan,
          exp_month: source.payload.expiry.month,
          exp_year: source.payload.expiry.year,
        };
      case "token":
        return { type: "token", token: source.token };
      case "hosted":
        return { type: "hosted_session", session_id: source.sessionId };
      case "reader":
      case "pay-link":
        throw new KioskError(
          ErrorCodes.PROCESSOR_REJECTED_REQUEST,
          "This card gateway takes no smart-reader or pay-by-phone payments. Nothing was charged.",
        );
    }
  }

  const charge = async (
    idempotencyKey: string,
    amount: Money,
    source: CardSource,
    reference: { recordId: string; deviceId: string },
  ) =>
    toCharge(
      await call(
        "POST",
        "/v1/charges",
        chargeSchema,
        {
          amount_minor: amount.minor,
          currency: amount.currency,
          source: await wireSource(source),
          metadata: { record_id: reference.recordId, device_id: reference.deviceId },
        },
        idempotencyKey,
      ),
    );

  return {
    kind: "gateway",
    sale: (request) => charge(request.idempotencyKey, request.amount, request.source, request.reference),
    chargeSavedCard: (request) =>
      charge(
        request.idempotencyKey,
        request.amount,
        { kind: "token", token: request.token },
        request.reference,
      ),
    async void(request) {
      await call(
        "POST",
        `/v1/charges/${encodeURIComponent(request.chargeId)}/void`,
        chargeSchema,
        {},
        request.idempotencyKey,
      );
    },
    async lookupRefund(idempotencyKey) {
      try {
        const refund = await call(
          "GET",
          `/v1/refunds/by-key/${encodeURIComponent(idempotencyKey)}`,
          refundSchema,
          undefined,
          null,
        );
        return {
          refundId: refund.id,
          chargeId: refund.charge_id,
          amount: { minor: refund.amount_minor, currency: refund.currency },
        };
      } catch (error) {
        if (isKioskError(error, ErrorCodes.PROCESSOR_REJECTED_REQUEST) && error.context.status === 404)
          return null;
        throw error;
      }
    },
    async refund(request) {
      const refund = await call(
        "POST",
        "/v1/refunds",
        refundSchema,
        {
          charge_id: request.chargeId,
          amount_minor: request.amount.minor,
          metadata: { record_id: request.reference.recordId, device_id: request.reference.deviceId },
        },
        request.idempotencyKey,
      );
      return {
        refundId: refund.id,
        chargeId: refund.charge_id,
        amount: { minor: refund.amount_minor, currency: refund.currency },
      };
    },
    async lookup(idempotencyKey) {
      try {
        return toCharge(
          await call(
            "GET",
            `/v1/charges/by-key/${encodeURIComponent(idempotencyKey)}`,
            chargeSchema,
            undefined,
            null,
          ),
        );
      } catch (error) {
        if (isKioskError(error, ErrorCodes.PROCESSOR_REJECTED_REQUEST) && error.context.status === 404)
          return null;
        throw error;
      }
    },
    async saveCard(request): Promise<SavedCard> {
      const saved = await call(
        "POST",
        "/v1/tokens",
        tokenSchema,
        { source: await wireSource(request.source), client_id: request.clientId },
        request.idempotencyKey,
      );
      const card = toCard(saved.card);
      return { token: saved.token, brand: card.brand, last4: card.last4, expiry: card.expiry };
    },
    async startHostedEntry(request) {
      const session = await call(
        "POST",
        "/v1/sessions",
        sessionSchema,
        {
          purpose: request.purpose,
          amount_minor: request.amount?.minor ?? null,
          currency: request.amount?.currency ?? null,
        },
        null,
      );
      return { sessionId: session.id, url: session.url };
    },
    async hostedEntryStatus(sessionId): Promise<HostedEntryStatus> {
      const session = await call(
        "GET",
        `/v1/sessions/${encodeURIComponent(sessionId)}`,
        sessionSchema,
        undefined,
        null,
      );
      if (session.status === "completed" && session.token && session.card) {
        const card = toCard(session.card);
        return {
          state: "completed",
          card: { token: session.token, brand: card.brand, last4: card.last4, expiry: card.expiry },
        };
      }
      return { state: session.status === "completed" ? "open" : session.status };
    },
    async cancelHostedEntry(sessionId) {
      await call(
        "POST",
        `/v1/sessions/${encodeURIComponent(sessionId)}/cancel`,
        sessionSchema,
        {},
        `cancel-${sessionId}`,
      );
    },
    async reachable() {
      try {
        const response = await httpExchange(`${base}/v1/health`, {
          method: "GET",
          timeoutMs: Math.min(options.timeoutMs, 3000),
        });
        return response.ok;
      } catch {
        return false;
      }
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
