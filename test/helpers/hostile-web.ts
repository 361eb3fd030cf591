import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { CHROMIUM, CHROMIUM_ARGS } from "./dashboard-browser.js";

/** A name that is not the kiosk's, resolved by the hostile browser to this machine (DNS rebinding). */
export const EVIL_HOST = "evil.test";

export interface HostileWeb {
  /** A page of another site, served from this machine: http://evil.test:PORT/. */
  readonly attackerUrl: string;
  readonly page: Page;
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/**
 * An attacker's web page in a real Chromium: served from another port of this machine under a name
 * of its own (`evil.test`, which this browser resolves to 127.0.0.1 as a rebound DNS name would), so
 * what the page sends to the kiosk carries the Origin, Host and Sec-Fetch-Site a real one would.
 */
export async function startHostileWeb(dir: string): Promise<HostileWeb> {
  const server: Server = createServer((_request, response) => {
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    response.end("<!doctype html><title>a page elsewhere</title><p>nothing to see</p>");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const context = await chromium.launchPersistentContext(join(dir, "hostile-chromium"), {
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_ARGS, `--host-resolver-rules=MAP ${EVIL_HOST} 127.0.0.1`],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const attackerUrl = `http://${EVIL_HOST}:${port}/`;
  await page.goto(attackerUrl);
  return {
    attackerUrl,
    page,
    context,
    close: async () => {
      await context.close().catch(() => {});
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A request with exactly these headers (fetch does not let a test set Host). */
export function rawRequest(
  port: number,
  options: { method?: string; path: string; headers: Record<string, string>; body?: string },
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        host: "127.0.0.1",
        port,
        path: options.path,
        method: options.method ?? "GET",
        headers: options.headers,
        setHost: false,
      },
      (response) => {
        let body = "";
        response.on("data", (chunk: Buffer) => {
          body += chunk.toString("utf8");
        });
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
      },
    );
    request.on("error", reject);
    request.end(options.body);
  });
}
