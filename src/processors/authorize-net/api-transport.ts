import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";

/** Thrown when no whole answer came in time: the request may have reached Authorize.Net. */
export class AnswerTimeoutError extends Error {
  override readonly name = "AnswerTimeoutError";
}

/**
 * Thrown when the connection failed before the whole request was written (refused, TLS handshake
 * cut, …): Authorize.Net acts on a whole request only, so it did nothing.
 */
export class RequestNotSentError extends Error {
  override readonly name = "RequestNotSentError";
}

export interface TransportOptions {
  readonly endpoint: string;
  readonly timeoutMs: number;
  /** A certificate to trust besides the system's (the simulator's loopback certificate), PEM. */
  readonly ca?: string | null;
}

/** Posts one JSON request and resolves with the answer's text, its byte-order mark removed. */
export type Transport = (body: string) => Promise<string>;

const MAX_ANSWER = 4 * 1024 * 1024;

/**
 * The kiosk's way to Authorize.Net: node:https with one keep-alive connection reused across a
 * payment's calls (one TLS handshake), rather than the SDK's axios (see docs/card-processing.md for
 * what each costs the kiosk's memory). Plain HTTP only for a simulator configured so.
 */
export async function httpsTransport(options: TransportOptions): Promise<Transport> {
  const target = new URL(options.endpoint);
  if (target.protocol !== "https:" && target.protocol !== "http:") {
    throw new Error(`unsupported scheme ${target.protocol}`);
  }
  const secure = target.protocol === "https:";
  const https = secure ? await import("node:https") : null;
  const agent = https
    ? new https.Agent({ keepAlive: true, maxSockets: 4, ...(options.ca ? { ca: options.ca } : {}) })
    : new HttpAgent({ keepAlive: true, maxSockets: 4 });
  const send = (https?.request ?? httpRequest) as typeof httpRequest;
  return (body) =>
    new Promise<string>((resolve, reject) => {
      const request = send(target, {
        method: "POST",
        agent,
        headers: { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) },
      });
      let timedOut = false;
      let written = false;
      request.on("finish", () => {
        written = true;
      });
      const timer = setTimeout(() => {
        timedOut = true;
        request.destroy();
      }, options.timeoutMs);
      const fail = (error: Error): void => {
        clearTimeout(timer);
        if (!written && !timedOut) reject(new RequestNotSentError(error.message, { cause: error }));
        else reject(timedOut ? new AnswerTimeoutError(`no answer within ${options.timeoutMs} ms`) : error);
      };
      request.on("error", fail);
      request.on("response", (response: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_ANSWER) request.destroy(new Error("the answer is too large"));
          else chunks.push(chunk);
        });
        response.on("error", fail);
        response.on("end", () => {
          clearTimeout(timer);
          if ((response.statusCode ?? 0) !== 200) {
            reject(new Error(`Authorize.Net answered HTTP ${response.statusCode}`));
            return;
          }
          const text = Buffer.concat(chunks).toString("utf8");
          // Authorize.Net puts a byte-order mark before its JSON; JSON.parse refuses one.
          resolve(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
        });
      });
      request.end(body);
    });
}
