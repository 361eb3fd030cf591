import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";

/** One request's answer: the status and the whole body as text. */
export interface HttpAnswer {
  readonly status: number;
  readonly ok: boolean;
  readonly text: string;
}

export interface HttpExchangeOptions {
  readonly method: "GET" | "POST";
  readonly headers?: Record<string, string>;
  readonly body?: string | null;
  readonly timeoutMs: number;
}

/** Thrown when no full answer came within the timeout (the request may have reached the gateway). */
export class HttpTimeoutError extends Error {
  override readonly name = "TimeoutError";
}

type Send = typeof httpRequest;

/**
 * Keep-alive agents, one per scheme, so a payment's calls reuse one connection (one TLS handshake).
 * node:http rather than fetch: fetch loads undici and its WebAssembly parser, ~9 MB of resident memory
 * for a few small JSON calls; node:https (TLS) is loaded only when the gateway's URL asks for it.
 */
const plain = { send: httpRequest, agent: new HttpAgent({ keepAlive: true, maxSockets: 4 }) };
let secure: Promise<{ send: Send; agent: HttpAgent }> | null = null;
const tls = (): Promise<{ send: Send; agent: HttpAgent }> => {
  secure ??= import("node:https").then((https) => ({
    send: https.request as Send,
    agent: new https.Agent({ keepAlive: true, maxSockets: 4 }),
  }));
  return secure;
};

/**
 * Sends one request and reads the whole answer. Rejects with HttpTimeoutError when the answer is not
 * complete within `timeoutMs`, and with the socket's error when the gateway cannot be reached.
 */
export async function httpExchange(url: string, options: HttpExchangeOptions): Promise<HttpAnswer> {
  const target = new URL(url);
  if (target.protocol !== "https:" && target.protocol !== "http:") {
    throw new Error(`unsupported scheme ${target.protocol}`);
  }
  const { send, agent } = target.protocol === "https:" ? await tls() : plain;
  const body = options.body ?? null;
  return new Promise<HttpAnswer>((resolve, reject) => {
    const headers: Record<string, string> = { ...options.headers };
    if (body !== null) headers["content-length"] = String(Buffer.byteLength(body));
    const request = send(target, { method: options.method, headers, agent });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      request.destroy();
    }, options.timeoutMs);
    const fail = (error: Error): void => {
      clearTimeout(timer);
      reject(timedOut ? new HttpTimeoutError(`no answer within ${options.timeoutMs} ms`) : error);
    };
    request.on("error", fail);
    request.on("response", (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("error", fail);
      response.on("end", () => {
        clearTimeout(timer);
        const status = response.statusCode ?? 0;
        resolve({ status, ok: status >= 200 && status < 300, text: Buffer.concat(chunks).toString("utf8") });
      });
    });
    request.end(body ?? undefined);
  });
}
