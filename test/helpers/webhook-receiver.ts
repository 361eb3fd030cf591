import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { until } from "./wait.js";

/** One POST as the receiver got it. */
export interface ReceivedHook {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface WebhookReceiver {
  readonly url: string;
  /** Every POST answered 2xx, in order of arrival. */
  readonly accepted: readonly ReceivedHook[];
  /** How many POSTs were refused (see `failFirst`). */
  refused(): number;
  waitFor(count: number, timeoutMs?: number): Promise<readonly ReceivedHook[]>;
  close(): Promise<void>;
}

/**
 * A small HTTP server on a free loopback port that keeps every POST it accepts; the first
 * `failFirst` are answered 503, to act out a receiver that is briefly down.
 */
export async function startWebhookReceiver(options: { failFirst?: number } = {}): Promise<WebhookReceiver> {
  const accepted: ReceivedHook[] = [];
  let refused = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      if (refused < (options.failFirst ?? 0)) {
        refused++;
        response.writeHead(503).end("busy");
        return;
      }
      accepted.push({
        path: request.url ?? "/",
        headers: request.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/spectra`,
    accepted,
    refused: () => refused,
    async waitFor(count, timeoutMs = 30_000) {
      await until(() => accepted.length >= count, `${count} web hook POST(s)`, timeoutMs);
      return accepted;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
