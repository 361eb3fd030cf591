import { connect, createServer, type Server, type Socket } from "node:net";
import { freePort } from "./ports.js";

export interface SwitchableProxy {
  readonly port: number;
  /** Starts listening and forwarding to the target. */
  open(): Promise<void>;
  /** Stops listening (new connections are refused, as by a closed port) and drops open ones. */
  close(): Promise<void>;
  /**
   * The server stops answering without closing anything: bytes already sent and sent from now on
   * go nowhere, new connections are accepted and never served (a hung server or a cut cable).
   */
  hang(): void;
}

/**
 * A TCP forwarder on a fixed free port that can be switched off and on: a database or broker URL
 * pointing at it sees a server that is down (connection refused) or up, while the real one runs on.
 * It starts closed.
 */
export async function switchableProxy(target: { host: string; port: number }): Promise<SwitchableProxy> {
  const port = await freePort();
  const open = new Set<Socket>();
  let server: Server | null = null;
  let hung = false;
  const forward = (client: Socket): void => {
    if (hung) {
      open.add(client);
      client.on("error", () => {});
      client.on("close", () => open.delete(client));
      client.pause();
      return;
    }
    const upstream = connect(target.port, target.host);
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on("error", () => {
        client.destroy();
        upstream.destroy();
      });
      socket.on("close", () => {
        open.delete(socket);
        (socket === client ? upstream : client).destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  };
  return {
    port,
    open: async () => {
      if (server) return;
      const listening = createServer(forward);
      server = listening;
      await new Promise<void>((resolve, reject) => {
        listening.once("error", reject);
        listening.listen(port, "127.0.0.1", () => resolve());
      });
    },
    hang: () => {
      hung = true;
      for (const socket of open) {
        socket.unpipe();
        socket.pause();
      }
    },
    close: async () => {
      hung = false;
      const listening = server;
      server = null;
      for (const socket of open) socket.destroy();
      if (listening) await new Promise<void>((resolve) => listening.close(() => resolve()));
    },
  };
}
