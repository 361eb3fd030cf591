import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { passesLuhn } from "../../payments/card/luhn.js";
import { formatMoney } from "../../payments/money.js";
import {
  chargeRequestSchema,
  IDEMPOTENCY_HEADER,
  refundRequestSchema,
  sessionRequestSchema,
  tokenRequestSchema,
} from "../gateway/api.js";
import { behaviourOf } from "./fixtures/test-cards.js";
import { hostedDone, hostedPage } from "./hosted-page.js";
import { IdempotencyKeys, type StoredAnswer } from "./idempotency.js";
import { resolveCard } from "./resolve-card.js";
import { type HostedSession, newSimId, type SimCharge, SimulatorLedger } from "./simulator-ledger.js";

export interface SimulatorOptions {
  readonly port?: number;
  readonly host?: string;
  readonly apiKey?: string;
  /** How long the "timeout" test card keeps the kiosk waiting (it charges first). */
  readonly hangMs?: number;
  /** How long the "slow" test card takes to answer. */
  readonly slowMs?: number;
  readonly sessionTtlMs?: number;
}

export interface RunningSimulator {
  readonly url: string;
  readonly apiKey: string;
  readonly ledger: SimulatorLedger;
  close(): Promise<void>;
}

type Reply = StoredAnswer & { delayMs?: number; html?: boolean };

const MAX_BODY = 64 * 1024;
const json = (status: number, body: unknown): Reply => ({ status, body });
const fail = (status: number, type: string, code: string, message: string): Reply =>
  json(status, { error: { type, code, message } });

/**
 * `spectra-kiosk gateway-sim`: a card gateway for demos and tests, speaking the gateway API with
 * deterministic test cards, Stripe-like idempotency, a hosted page for keyed entry, and a ledger of
 * every charge and refund that tests read back.
 */
export async function startGatewaySimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const apiKey = options.apiKey ?? "sk_test_simulator";
  const ledger = new SimulatorLedger();
  const keys = new IdempotencyKeys();
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const context: Context = {
    ledger,
    keys,
    privateKey,
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    hangMs: options.hangMs ?? 60_000,
    slowMs: options.slowMs ?? 2_000,
    sessionTtlMs: options.sessionTtlMs ?? 10 * 60_000,
    baseUrl: "",
  };
  const server = createServer((request, response) => {
    handle(request, response, context, apiKey).catch(() => {
      if (!response.headersSent) send(response, fail(500, "api_error", "internal", "The simulator failed."));
    });
  });
  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve),
  );
  const address = server.address() as AddressInfo;
  context.baseUrl = `http://${address.address}:${address.port}`;
  return { url: context.baseUrl, apiKey, ledger, close: () => closeServer(server) };
}

interface Context {
  ledger: SimulatorLedger;
  keys: IdempotencyKeys;
  privateKey: KeyObject;
  publicKeyPem: string;
  hangMs: number;
  slowMs: number;
  sessionTtlMs: number;
  baseUrl: string;
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

async function readBody(request: IncomingMessage): Promise<string | null> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function send(response: ServerResponse, reply: Reply): void {
  if (response.destroyed) return;
  if (reply.html) {
    response.writeHead(reply.status, { "content-type": "text/html; charset=utf-8" });
    response.end(String(reply.body));
    return;
  }
  response.writeHead(reply.status, { "content-type": "application/json" });
  response.end(JSON.stringify(reply.body));
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  context: Context,
  apiKey: string,
): Promise<void> {
  const url = new URL(request.url ?? "/", "http://simulator");
  const text = request.method === "POST" ? await readBody(request) : "";
  if (text === null)
    return send(response, fail(413, "invalid_request_error", "body_too_large", "The request is too large."));
  const path = url.pathname;
  if (
    path.startsWith("/v1/") &&
    path !== "/v1/health" &&
    request.headers.authorization !== `Bearer ${apiKey}`
  ) {
    return send(response, fail(401, "authentication_error", "bad_api_key", "Unknown API key."));
  }
  const reply = await route(
    request.method ?? "GET",
    path,
    text,
    request.headers[IDEMPOTENCY_HEADER],
    context,
  );
  if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
  send(response, reply);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

async function route(
  method: string,
  path: string,
  text: string,
  keyHeader: string | string[] | undefined,
  context: Context,
): Promise<Reply> {
  const key =
    typeof keyHeader === "string" && keyHeader.length > 0 && keyHeader.length <= 255 ? keyHeader : null;
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  const body = parseJson(text);
  const { ledger } = context;
  const needKey = (): Reply =>
    fail(400, "invalid_request_error", "idempotency_key_required", "Send an Idempotency-Key header.");

  if (method === "GET" && path === "/v1/health") return json(200, { ok: true });
  if (method === "GET" && path === "/v1/encryption-key")
    return json(200, { alg: "RSA-OAEP-256", public_key_pem: context.publicKeyPem });
  if (method === "GET" && path === "/v1/ledger") return json(200, ledger.snapshot());
  if (method === "POST" && path === "/v1/charges") return key ? charge(body, key, context) : needKey();
  if (method === "GET" && parts[1] === "charges" && parts[2] === "by-key" && parts[3]) {
    const found = ledger.chargeByKey(parts[3]);
    return found
      ? json(200, found)
      : fail(404, "invalid_request_error", "charge_not_found", "No charge with this key.");
  }
  if (method === "POST" && parts[1] === "charges" && parts[3] === "void" && parts[2]) {
    return key ? voidCharge(parts[2], key, context) : needKey();
  }
  if (method === "POST" && path === "/v1/refunds") return key ? refund(body, key, context) : needKey();
  if (method === "GET" && parts[1] === "refunds" && parts[2] === "by-key" && parts[3]) {
    const found = ledger.refunds.find((refund) => refund.idempotency_key === parts[3]);
    return found
      ? json(200, found)
      : fail(404, "invalid_request_error", "refund_not_found", "No refund with this key.");
  }
  if (method === "POST" && path === "/v1/tokens") return key ? tokenize(body, key, context) : needKey();
  if (method === "POST" && path === "/v1/sessions") return openSession(body, context);
  if (parts[1] === "sessions" && parts[2]) return session(method, parts[2], parts[3], context);
  if (parts[0] === "hosted" && parts[1]) return hosted(method, parts[1], text, context);
  return fail(404, "invalid_request_error", "not_found", "No such endpoint.");
}

const invalidRequest = (message: string): Reply =>
  fail(400, "invalid_request_error", "parameter_invalid", message);

function charge(body: unknown, key: string, context: Context): Promise<Reply> {
  const request = chargeRequestSchema.safeParse(body);
  if (!request.success) return Promise.resolve(invalidRequest("The charge request is malformed."));
  const { source, ...rest } = request.data;
  const resolved = resolveCard(source, context.privateKey, context.ledger, new Date());
  const fingerprint = IdempotencyKeys.fingerprint([rest, resolved.ok ? resolved.card.card : resolved.code]);
  let delayMs = 0;
  return context.keys
    .run("charge", key, fingerprint, async () => {
      if (!resolved.ok)
        return fail(
          resolved.status,
          resolved.status === 402 ? "card_error" : "invalid_request_error",
          resolved.code,
          resolved.message,
        );
      const { behaviour, card } = resolved.card;
      if (behaviour.kind === "decline")
        return fail(402, "card_error", behaviour.code, "The card was declined.");
      if (behaviour.kind === "server-error")
        return fail(500, "api_error", "processing_error", "The processor failed.");
      const created: SimCharge = {
        id: newSimId("ch"),
        object: "charge",
        status: "succeeded",
        amount_minor: rest.amount_minor,
        amount_refunded_minor: 0,
        currency: rest.currency,
        authorization_code: newSimId("A").slice(2, 8).toUpperCase(),
        card,
        token: source.type === "token" ? source.token : null,
        idempotency_key: key,
        metadata: rest.metadata,
        created_at: new Date().toISOString(),
      };
      context.ledger.addCharge(created);
      if (behaviour.kind === "timeout") delayMs = context.hangMs;
      if (behaviour.kind === "slow") delayMs = context.slowMs;
      return json(200, created);
    })
    .then((answer) => ({ ...answer, delayMs }));
}

function voidCharge(chargeId: string, key: string, context: Context): Promise<Reply> {
  return context.keys.run("void", key, IdempotencyKeys.fingerprint(chargeId), async () => {
    const found = context.ledger.charges.get(chargeId);
    if (!found) return fail(404, "invalid_request_error", "charge_not_found", "No such charge.");
    if (found.amount_refunded_minor > 0) return invalidRequest("A refunded charge cannot be voided.");
    found.status = "voided";
    return json(200, found);
  });
}

function refund(body: unknown, key: string, context: Context): Promise<Reply> {
  const request = refundRequestSchema.safeParse(body);
  if (!request.success) return Promise.resolve(invalidRequest("The refund request is malformed."));
  const { charge_id: chargeId, amount_minor: amount } = request.data;
  return context.keys.run("refund", key, IdempotencyKeys.fingerprint(request.data), async () => {
    const found = context.ledger.charges.get(chargeId);
    if (found?.status !== "succeeded")
      return fail(404, "invalid_request_error", "charge_not_found", "No such charge.");
    if (found.amount_refunded_minor + amount > found.amount_minor)
      return invalidRequest("The refund exceeds what is left on the charge.");
    found.amount_refunded_minor += amount;
    const created = {
      id: newSimId("re"),
      object: "refund" as const,
      charge_id: chargeId,
      amount_minor: amount,
      currency: found.currency,
      idempotency_key: key,
      created_at: new Date().toISOString(),
    };
    context.ledger.refunds.push(created);
    return json(200, created);
  });
}

function tokenize(body: unknown, key: string, context: Context): Promise<Reply> {
  const request = tokenRequestSchema.safeParse(body);
  if (!request.success) return Promise.resolve(invalidRequest("The token request is malformed."));
  const resolved = resolveCard(request.data.source, context.privateKey, context.ledger, new Date());
  const fingerprint = IdempotencyKeys.fingerprint([
    request.data.client_id,
    resolved.ok ? resolved.card.card : resolved.code,
  ]);
  return context.keys.run("token", key, fingerprint, async () => {
    if (!resolved.ok)
      return fail(
        resolved.status,
        resolved.status === 402 ? "card_error" : "invalid_request_error",
        resolved.code,
        resolved.message,
      );
    const token = newSimId("tok");
    context.ledger.tokens.set(token, resolved.card);
    return json(200, { object: "token", token, card: resolved.card.card });
  });
}

function expireIfDue(session: HostedSession): HostedSession {
  if (session.status === "open" && Date.now() > session.expiresAt) session.status = "expired";
  return session;
}

function sessionView(session: HostedSession, context: Context): unknown {
  expireIfDue(session);
  return {
    object: "session",
    id: session.id,
    url: `${context.baseUrl}/hosted/${session.id}`,
    status: session.status,
    token: session.token,
    card: session.card,
  };
}

function openSession(body: unknown, context: Context): Reply {
  const request = sessionRequestSchema.safeParse(body);
  if (!request.success) return invalidRequest("The session request is malformed.");
  const session: HostedSession = {
    id: newSimId("cs"),
    purpose: request.data.purpose,
    amountMinor: request.data.amount_minor,
    currency: request.data.currency,
    status: "open",
    token: null,
    card: null,
    expiresAt: Date.now() + context.sessionTtlMs,
  };
  context.ledger.sessions.set(session.id, session);
  return json(200, sessionView(session, context));
}

function session(method: string, id: string, action: string | undefined, context: Context): Reply {
  const found = context.ledger.sessions.get(id);
  if (!found) return fail(404, "invalid_request_error", "session_not_found", "No such session.");
  if (method === "POST" && action === "cancel" && found.status === "open") found.status = "cancelled";
  return json(200, sessionView(found, context));
}

function hosted(method: string, id: string, text: string, context: Context): Reply {
  const found = context.ledger.sessions.get(id);
  const page = (status: number, body: string): Reply => ({ status, body, html: true });
  if (!found || expireIfDue(found).status !== "open") {
    return page(410, hostedDone("This card entry is no longer open. Return to the kiosk."));
  }
  if (method === "GET") {
    const amount =
      found.amountMinor !== null && found.currency
        ? formatMoney({ minor: found.amountMinor, currency: found.currency }, "en-US")
        : null;
    return page(200, hostedPage(id, amount));
  }
  const form = new URLSearchParams(text);
  const number = (form.get("number") ?? "").replace(/[\s-]/g, "");
  const expMonth = Number(form.get("exp_month"));
  const expYear = Number(form.get("exp_year"));
  if (
    !/^\d{12,19}$/.test(number) ||
    !passesLuhn(number) ||
    !(expMonth >= 1 && expMonth <= 12) ||
    !(expYear >= 2000)
  ) {
    return page(400, hostedDone("That card number or expiry is not valid. Go back and try again."));
  }
  const behaviour = behaviourOf(number);
  const card = {
    brand: "brand" in behaviour ? behaviour.brand : null,
    bin: number.slice(0, 6),
    last4: number.slice(-4),
    exp_month: expMonth,
    exp_year: expYear,
  };
  const token = newSimId("tok");
  context.ledger.tokens.set(token, { card, behaviour });
  found.status = "completed";
  found.token = token;
  found.card = card;
  return page(200, hostedDone("Card received. Return to the kiosk."));
}
