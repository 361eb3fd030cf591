import { createServer } from "node:http";
import type { Logger } from "../core/logger.js";

export interface NotReadyServer {
  close(): Promise<void>;
}

/**
 * While central waits for its database, the dashboard's address answers every request — `/healthz`
 * included — with 503, so a load balancer or a monitor sees "not ready" rather than nothing. It says
 * what central waits for, never the error (the page is public; the log has it). The real dashboard
 * takes the address once the database answers. Null when the address is taken (logged): waiting
 * goes on without it.
 */
export async function serveNotReady(
  address: { host: string; port: number },
  logger: Logger,
): Promise<NotReadyServer | null> {
  const server = createServer((request, response) => {
    request.resume();
    response.writeHead(503, {
      "Content-Type": "text/plain; charset=utf-8",
      "Cache-Control": "no-store",
      "Retry-After": "5",
      "X-Content-Type-Options": "nosniff",
    });
    response.end("not ready: central is waiting for its database\n");
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(address.port, address.host, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (error) {
    logger.warn(
      `the not-ready page cannot listen on ${address.host}:${address.port}: ${(error as Error).message}`,
    );
    return null;
  }
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
