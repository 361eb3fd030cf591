import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { API_METHODS, type ApiMethod, orderViolation } from "../authorize-net/wire-order.js";
import { hostedFormDone, hostedProfileForm } from "./hosted-profile-form.js";
import { LOOPBACK_CERTIFICATE, LOOPBACK_PRIVATE_KEY } from "./loopback-certificate.js";
import { MerchantBooks, type SimBatch } from "./merchant-books.js";
import { readPayment } from "./payment-reader.js";
import {
  addCardFromHostedForm,
  createProfile,
  deletePaymentProfile,
  deleteProfile,
  getProfile,
  hostedProfilePage,
  profileFromTransaction,
} from "./profile-handler.js";
import {
  batchTransactions,
  settledBatches,
  transactionDetails,
  unsettledTransactions,
  updateHeldTransaction,
} from "./reporting-handler.js";
import { createTransaction } from "./transaction-handler.js";
import { answerText, BYTE_ORDER_MARK, failedWith, MESSAGE, ok, type SimAnswer } from "./wire-answers.js";

export interface AuthorizeNetSimulatorOptions {
  readonly port?: number;
  readonly host?: string;
  readonly apiLoginId?: string;
  readonly transactionKey?: string;
  /** HTTPS with the loopback certificate (the default), so track data never crosses even loopback in clear. */
  readonly tls?: boolean;
  /** How long the simulator's hanging card keeps a client waiting after charging. */
  readonly hangMs?: number;
  readonly slowMs?: number;
  /** The daily settlement cut-off, "HH:MM" in UTC (the account's "Transaction Cut-Off Time"). */
  readonly settlementTimeUtc?: string;
  /** The simulator's clock (tests move it to settle). */
  readonly now?: () => Date;
  readonly currency?: string;
  /**
   * "http": the hosted form is served over plain HTTP on a port of its own, for the laptop setup,
   * where the screen's browser does not trust the simulator's loopback certificate. The API stays TLS.
   */
  readonly hostedForm?: "tls" | "http";
  /** Sees every API request as the simulator received it, after TLS (tests scan these for card data). */
  readonly onRequest?: (body: string) => void;
}

export interface RunningAuthorizeNetSimulator {
  /** Where the API is: POST JSON here, as to https://apitest.authorize.net/xml/v1/request.api. */
  readonly endpoint: string;
  /** Where the hosted form takes its token, as https://test.authorize.net/customer/addPayment. */
  readonly hostedFormUrl: string;
  readonly apiLoginId: string;
  readonly transactionKey: string;
  /** The certificate to trust for it (PEM), or null over plain HTTP. */
  readonly ca: string | null;
  readonly books: MerchantBooks;
  /** Settles now, as the daily cut-off would: every unsettled charge, refund and void into one batch. */
  settle(): SimBatch | null;
  /**
   * An outage (true) or its end: meanwhile every API request is answered HTTP 503 and not acted
   * on, as Authorize.Net's front end does when its API is down. Callable from `onRequest`, so the
   * request that saw it switched on is the first one refused.
   */
  setOutage(down: boolean): void;
  close(): Promise<void>;
}

const MAX_BODY = 64 * 1024;
const MAX_REFERENCE = 20;

interface Context {
  readonly books: MerchantBooks;
  readonly apiLoginId: string;
  readonly transactionKey: string;
  readonly hangMs: number;
  readonly slowMs: number;
  readonly now: () => Date;
  readonly currency: string;
  readonly onRequest: ((body: string) => void) | undefined;
  down: boolean;
}

function settlementMinute(time: string): number {
  const match = /^(\d{2}):(\d{2})$/.exec(time);
  const minute = match ? Number(match[1]) * 60 + Number(match[2]) : Number.NaN;
  if (!(minute >= 0 && minute < 24 * 60)) throw new Error(`settlementTimeUtc must be HH:MM, not ${time}`);
  return minute;
}

/**
 * A simulator of Authorize.Net's JSON API for tests and the laptop setup: the real path
 * (`/xml/v1/request.api`), the request shapes the official SDK sends with the schema's element
 * order enforced, answers with a byte-order mark and the real codes, the sandbox's test cards and
 * amounts, the duplicate window, unsettled and settled lists with a daily settlement, customer
 * profiles and the hosted form for adding a card.
 */
export async function startAuthorizeNetSimulator(
  options: AuthorizeNetSimulatorOptions = {},
): Promise<RunningAuthorizeNetSimulator> {
  const now = options.now ?? (() => new Date());
  const context: Context = {
    books: new MerchantBooks(settlementMinute(options.settlementTimeUtc ?? "23:00"), now()),
    apiLoginId: options.apiLoginId ?? "simLogin01",
    transactionKey: options.transactionKey ?? "SimTransKey00001",
    hangMs: options.hangMs ?? 60_000,
    slowMs: options.slowMs ?? 2_000,
    now,
    currency: options.currency ?? "USD",
    onRequest: options.onRequest,
    down: false,
  };
  const tls = options.tls ?? true;
  const handler = (request: IncomingMessage, response: ServerResponse): void => {
    handle(request, response, context).catch(() => {
      if (!response.headersSent) sendJson(response, failedWith(MESSAGE.unknownMethod));
    });
  };
  const server: Server = tls
    ? createHttpsServer({ cert: LOOPBACK_CERTIFICATE, key: LOOPBACK_PRIVATE_KEY }, handler)
    : createHttpServer(handler);
  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve),
  );
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const base = `${tls ? "https" : "http"}://${host}:${address.port}`;
  // The hosted form alone, over plain HTTP on loopback (the laptop setup's browser).
  const formServer =
    tls && options.hostedForm === "http"
      ? createHttpServer((request, response) => {
          if (!(request.url ?? "").startsWith("/customer/")) {
            request.resume();
            sendHtml(response, 404, hostedFormDone("Not found."));
            return;
          }
          handler(request, response);
        })
      : null;
  if (formServer) {
    await new Promise<void>((resolve) => formServer.listen(0, options.host ?? "127.0.0.1", resolve));
  }
  const formBase = formServer ? `http://${host}:${(formServer.address() as AddressInfo).port}` : base;
  return {
    endpoint: `${base}/xml/v1/request.api`,
    hostedFormUrl: `${formBase}/customer/addPayment`,
    apiLoginId: context.apiLoginId,
    transactionKey: context.transactionKey,
    ca: tls ? LOOPBACK_CERTIFICATE : null,
    books: context.books,
    settle: () => context.books.settle(now()),
    setOutage: (down) => {
      context.down = down;
    },
    close: async () => {
      for (const each of formServer ? [server, formServer] : [server]) {
        each.closeAllConnections();
        await new Promise<void>((resolve) => each.close(() => resolve()));
      }
    },
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

function sendJson(response: ServerResponse, answer: SimAnswer): void {
  if (response.destroyed) return;
  response.writeHead(200, { "content-type": "application/json; charset=utf-8" });
  response.end(answerText(answer));
}

function sendHtml(response: ServerResponse, status: number, html: string): void {
  if (response.destroyed) return;
  response.writeHead(status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
  response.end(html);
}

async function handle(request: IncomingMessage, response: ServerResponse, context: Context): Promise<void> {
  const path = new URL(request.url ?? "/", "https://simulator").pathname;
  const text = request.method === "POST" ? await readBody(request) : "";
  if (text === null)
    return sendJson(response, failedWith(MESSAGE.parse, undefined, "The request is too large."));
  context.books.settleIfDue(context.now());
  if (request.method === "POST" && path === "/xml/v1/request.api") {
    context.onRequest?.(text);
    if (context.down) {
      response.writeHead(503, { "content-type": "text/html; charset=utf-8" });
      response.end("<html><body>Service Unavailable</body></html>");
      return;
    }
    const answer = apiCall(text, context);
    if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
    return sendJson(response, answer);
  }
  if (request.method === "POST" && path === "/customer/addPayment") {
    const token = new URLSearchParams(text).get("token") ?? "";
    const entry = context.books.hostedTokens.get(token);
    if (!entry || entry.used || entry.expiresAt < context.now()) {
      return sendHtml(response, 200, hostedFormDone("This form has expired. Return to the kiosk."));
    }
    return sendHtml(response, 200, hostedProfileForm(token));
  }
  if (request.method === "POST" && path === "/customer/addPayment/submit")
    return hostedSubmit(text, response, context);
  sendHtml(response, 404, hostedFormDone("Not found."));
}

function hostedSubmit(text: string, response: ServerResponse, context: Context): void {
  const form = new URLSearchParams(text);
  const expiry = /^(\d{2})\/?(\d{2})$/.exec((form.get("expirationDate") ?? "").trim());
  const read = readPayment(
    {
      creditCard: {
        cardNumber: (form.get("cardNumber") ?? "").replace(/[\s-]/g, ""),
        expirationDate: expiry ? `${expiry[1]}${expiry[2]}` : "bad",
      },
    },
    context.now(),
  );
  if (!read.ok) {
    sendHtml(response, 200, hostedFormDone("That card number or date is not valid. Go back and try again."));
    return;
  }
  const saved = addCardFromHostedForm(form.get("token") ?? "", read.card, context.books, context.now());
  const message =
    saved === "saved"
      ? "Card saved. Return to the kiosk."
      : saved === "duplicate"
        ? "This card is already saved."
        : "This form has expired. Return to the kiosk.";
  sendHtml(response, 200, hostedFormDone(message));
}

type Json = Record<string, unknown>;

function apiCall(text: string, context: Context): SimAnswer {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.startsWith(BYTE_ORDER_MARK) ? text.slice(1) : text);
  } catch {
    return failedWith(MESSAGE.parse);
  }
  const roots =
    parsed !== null && typeof parsed === "object" && !Array.isArray(parsed) ? Object.keys(parsed) : [];
  const method = roots[0];
  if (roots.length !== 1 || method === undefined || !(API_METHODS as readonly string[]).includes(method)) {
    return failedWith(MESSAGE.unknownMethod);
  }
  const body = (parsed as Record<string, unknown>)[method] as Json;
  if (body === null || typeof body !== "object" || Array.isArray(body)) return failedWith(MESSAGE.parse);
  const violation = orderViolation(method, method, body) ?? lengthViolation(body);
  if (violation) return failedWith(MESSAGE.parse, undefined, violation);
  const refId = typeof body.refId === "string" ? body.refId : undefined;
  const auth = body.merchantAuthentication as Json | undefined;
  if (auth?.name !== context.apiLoginId || auth?.transactionKey !== context.transactionKey) {
    return failedWith(MESSAGE.authentication, refId);
  }
  return dispatch(method as ApiMethod, body, context);
}

/** refId and the invoice number are strings of at most 20 characters in the schema. */
function lengthViolation(body: Json): string | null {
  const invoice = ((body.transactionRequest as Json | undefined)?.order as Json | undefined)?.invoiceNumber;
  for (const [name, value] of [
    ["refId", body.refId],
    ["invoiceNumber", invoice],
  ] as const) {
    if (value !== undefined && (typeof value !== "string" || value.length > MAX_REFERENCE)) {
      return `The 'AnetApi/xml/v1/schema/AnetApiSchema.xsd:${name}' element is invalid - The value '${String(value).slice(0, 40)}' is invalid according to its datatype 'String' - The actual length is greater than the MaxLength value.`;
    }
  }
  return null;
}

function dispatch(method: ApiMethod, body: Json, context: Context): SimAnswer {
  const { books } = context;
  const now = context.now();
  switch (method) {
    case "authenticateTestRequest":
      return ok({}, typeof body.refId === "string" ? body.refId : undefined);
    case "createTransactionRequest":
      return createTransaction(body, {
        books,
        now,
        currency: context.currency,
        hangMs: context.hangMs,
        slowMs: context.slowMs,
      });
    case "getUnsettledTransactionListRequest":
      return unsettledTransactions(body, books);
    case "getTransactionListRequest":
      return batchTransactions(body, books);
    case "getSettledBatchListRequest":
      return settledBatches(body, books, now);
    case "getTransactionDetailsRequest":
      return transactionDetails(body, books);
    case "updateHeldTransactionRequest":
      return updateHeldTransaction(body, books);
    case "createCustomerProfileRequest":
      return createProfile(body, books);
    case "createCustomerProfileFromTransactionRequest":
      return profileFromTransaction(body, books);
    case "getCustomerProfileRequest":
      return getProfile(body, books);
    case "getHostedProfilePageRequest":
      return hostedProfilePage(body, books, now);
    case "deleteCustomerProfileRequest":
      return deleteProfile(body, books);
    case "deleteCustomerPaymentProfileRequest":
      return deletePaymentProfile(body, books);
  }
}
