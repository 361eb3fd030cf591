import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type Stripe from "stripe";
import { ApiKeys, type KeyGrant } from "./api-keys.js";
import { SimulatorBooks, stripeId } from "./books.js";
import { sweepExpiredSessions } from "./checkout-sessions.js";
import { expand } from "./expand.js";
import { type Params, parseParams } from "./form-body.js";
import { hostedCheckout } from "./hosted-checkout.js";
import { IdempotencyLedger, type SimAnswer } from "./idempotency.js";
import { eventObject } from "./objects.js";
import { ROUTES } from "./routes.js";
import type { SimContext } from "./sim-context.js";
import { SimulatedFailure } from "./simulated-failure.js";
import { createLocation, presentPaymentMethod, registerReader, setReaderStatus } from "./terminal.js";
import { type Delivery, newWebhookSecret, WebhookSender } from "./webhooks.js";

export interface StripeSimulatorOptions {
  readonly port?: number;
  readonly host?: string;
  /** Simulated readers registered at start, at one location (the studio's). */
  readonly readers?: number;
  /**
   * For demos and crash tests: a reader handed a payment presents this test card by itself after
   * `afterMs` (a real client taps instead; tests call the present_payment_method test helper).
   */
  readonly autoPresent?: { readonly afterMs: number; readonly card: (amount: number) => string };
  /**
   * Fault injection for tests: how long to hold a request's answer after it was carried out (so the
   * client gives up and never hears it). Stripe has no such switch.
   */
  readonly holdAnswer?: (request: HeldRequest) => number;
}

export interface HeldRequest {
  readonly method: string;
  readonly path: string;
  readonly params: Params;
  readonly idempotencyKey: string | null;
}

export interface RunningStripeSimulator {
  /** `http://127.0.0.1:PORT`: point the SDK at it with host, port and protocol. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** The account's secret key (everything allowed). */
  readonly secretKey: string;
  readonly books: SimulatorBooks;
  /** The location and readers registered at start. */
  readonly location: string;
  readonly readers: readonly string[];
  /** A new restricted key with these permissions. */
  restrictedKey(grant: Exclude<KeyGrant, "all">): string;
  /** Sends events to this URL, signed with the returned `whsec_…` secret (this one, when given). */
  addWebhookEndpoint(url: string, events?: readonly string[], secret?: string): string;
  /** Every event an endpoint took (2xx), with when. */
  readonly deliveries: readonly Delivery[];
  setReaderStatus(readerId: string, status: "online" | "offline"): void;
  /** Moves the simulator's clock on (session expiry, key pruning). */
  advance(seconds: number): void;
  close(): Promise<void>;
}

const MAX_BODY = 64 * 1024;

/**
 * A Stripe account in a process, for tests and the laptop setup: the REST paths the kiosk and central
 * use, answered with the SDK's own object types, Stripe's test cards and decline codes, idempotency
 * as Stripe keeps it, restricted keys refused as Stripe refuses them, simulated Terminal readers
 * with their test helper, hosted Checkout, and events sent to webhook endpoints signed as Stripe
 * signs them. Drive it with the official SDK (`host`, `port`, `protocol: "http"`).
 */
export async function startStripeSimulator(
  options: StripeSimulatorOptions = {},
): Promise<RunningStripeSimulator> {
  const books = new SimulatorBooks();
  const keys = new ApiKeys();
  const secretKey = `sk_test_${randomBytes(18).toString("base64url")}`;
  keys.add(secretKey, "all");
  const idempotency = new IdempotencyLedger();
  let offsetSeconds = 0;
  const now = (): number => Math.floor(Date.now() / 1000) + offsetSeconds;
  const webhooks = new WebhookSender(now);
  let baseUrl = "";
  let current: { requestId: string | null; idempotencyKey: string | null } = {
    requestId: null,
    idempotencyKey: null,
  };
  const context: SimContext = {
    books,
    now,
    baseUrl: () => baseUrl,
    emit(type, object) {
      const event = eventObject(
        type,
        structuredClone(object),
        now(),
        current.requestId,
        current.idempotencyKey,
      );
      books.events.push(event);
      webhooks.send(event);
    },
  };
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, work: () => void): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      work();
    }, ms);
    timer.unref();
    timers.add(timer);
  };

  const server = createServer((request, response) => {
    serve(request, response).catch(() => {
      send(response, {
        status: 500,
        body: { error: { type: "api_error", message: "The simulator failed." } },
      });
    });
  });

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://simulator");
    const body = await readBody(request);
    if (body === null) {
      send(response, failure(SimulatedFailure.invalidRequest("The request body is too large.")));
      return;
    }
    const method = request.method ?? "GET";
    const pagePath = /^\/c\/pay\/(cs_test_[A-Za-z0-9_]{1,255})$/.exec(url.pathname);
    if (pagePath) {
      current = { requestId: stripeId("req"), idempotencyKey: null };
      const answer = hostedCheckout(context, method, pagePath[1] as string, body);
      response.writeHead(answer.status, { "content-type": "text/html; charset=utf-8" });
      response.end(answer.html);
      return;
    }
    const found = findRoute(method, url.pathname);
    if (!found) {
      send(
        response,
        failure(
          SimulatedFailure.invalidRequest(
            `Unrecognized request URL (${method}: ${url.pathname}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
          ),
          404,
        ),
      );
      return;
    }
    const requestId = stripeId("req");
    const idempotencyKey = headerValue(request, "idempotency-key");
    const headers: Record<string, string> = {
      "request-id": requestId,
      "stripe-version": "2026-10-28.endive",
    };
    let params: Params;
    try {
      keys.authorize(headerValue(request, "authorization") ?? undefined, found.route.needs);
      params = parseParams(method === "GET" ? url.search.slice(1) : body);
    } catch (error) {
      send(response, failure(error), headers);
      return;
    }
    const run = async (): Promise<SimAnswer & { keep: boolean }> => {
      current = { requestId, idempotencyKey };
      let answer: SimAnswer & { keep: boolean };
      try {
        const result = found.route.run(context, withoutExpand(params), found.ids, url.pathname);
        answer = { status: 200, body: expand(books, result, params.expand), keep: true };
        afterRoute(url.pathname, result);
      } catch (error) {
        const refused = failure(error);
        const code = (refused.body as { error: { code?: string } }).error.code ?? "";
        // Stripe keeps no answer for a request refused before its endpoint ran.
        answer = { ...refused, keep: !(refused.status === 400 && code.startsWith("parameter_")) };
      } finally {
        current = { requestId: null, idempotencyKey: null };
      }
      const hold = options.holdAnswer?.({ method, path: url.pathname, params, idempotencyKey }) ?? 0;
      if (hold > 0) await new Promise((resolve) => setTimeout(resolve, hold));
      return answer;
    };
    if (method === "POST" && idempotencyKey !== null) {
      const fingerprint = IdempotencyLedger.fingerprint(method, url.pathname, params);
      const answer = await idempotency.run("acct", idempotencyKey, fingerprint, now(), run);
      send(response, answer, {
        ...headers,
        "idempotency-key": idempotencyKey,
        ...(answer.replayed ? { "idempotent-replayed": "true" } : {}),
      });
      return;
    }
    send(response, await run(), headers);
  }

  /** A reader handed a payment presents the demo card by itself, when the simulator is set up so. */
  function afterRoute(path: string, result: unknown): void {
    const auto = options.autoPresent;
    if (!auto || !path.endsWith("/process_payment_intent")) return;
    const reader = result as Stripe.Terminal.Reader;
    const intentId = String(reader.action?.process_payment_intent?.payment_intent ?? "");
    const amount = books.paymentIntents.get(intentId)?.amount ?? 0;
    later(auto.afterMs, () => {
      try {
        const still = books.readers.get(reader.id)?.action;
        if (still?.status === "in_progress" && still.process_payment_intent?.payment_intent === intentId)
          presentPaymentMethod(context, reader.id, { card_present: { number: auto.card(amount) } });
      } catch {
        // The reader moved on (cancelled, offline): nothing to present to.
      }
    });
  }

  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve),
  );
  const address = server.address() as AddressInfo;
  baseUrl = `http://${address.address}:${address.port}`;
  const location = createLocation(context, {
    display_name: "Spectra studio",
    address: {
      line1: "1 Main Street",
      city: "Springfield",
      state: "IL",
      postal_code: "62701",
      country: "US",
    },
  });
  const readers = Array.from(
    { length: options.readers ?? 1 },
    (_, index) =>
      registerReader(context, {
        registration_code: "simulated-wpe",
        location: location.id,
        label: `Counter reader ${index + 1}`,
      }).id,
  );
  const sweep = setInterval(() => sweepExpiredSessions(context), 1_000);
  sweep.unref();

  return {
    url: baseUrl,
    host: address.address,
    port: address.port,
    secretKey,
    books,
    location: location.id,
    readers,
    restrictedKey(grant) {
      const key = `rk_test_${randomBytes(18).toString("base64url")}`;
      keys.add(key, grant);
      return key;
    },
    addWebhookEndpoint(url, events = ["*"], secret = newWebhookSecret()) {
      webhooks.add({ url, secret, enabledEvents: events });
      return secret;
    },
    deliveries: webhooks.delivered,
    setReaderStatus: (readerId, status) => setReaderStatus(context, readerId, status),
    advance(seconds) {
      offsetSeconds += seconds;
      sweepExpiredSessions(context);
    },
    async close() {
      clearInterval(sweep);
      for (const timer of timers) clearTimeout(timer);
      webhooks.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function findRoute(method: string, path: string): { route: (typeof ROUTES)[number]; ids: string[] } | null {
  for (const route of ROUTES) {
    if (route.method !== method) continue;
    const match = route.pattern.exec(path);
    if (match) return { route, ids: match.slice(1) };
  }
  return null;
}

function withoutExpand(params: Params): Params {
  const { expand: _expand, ...rest } = params;
  return rest;
}

function headerValue(request: IncomingMessage, name: string): string | null {
  const value = request.headers[name];
  return typeof value === "string" ? value : null;
}

function failure(error: unknown, status?: number): SimAnswer {
  if (error instanceof SimulatedFailure)
    return { status: status ?? error.status, body: { error: error.error } };
  return {
    status: 500,
    body: { error: { type: "api_error", message: "An unknown error occurred in the simulator." } },
  };
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

function send(response: ServerResponse, answer: SimAnswer, headers: Record<string, string> = {}): void {
  if (response.destroyed || response.headersSent) return;
  response.writeHead(answer.status, { "content-type": "application/json", ...headers });
  response.end(JSON.stringify(answer.body));
}
