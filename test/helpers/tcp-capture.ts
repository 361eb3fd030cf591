import { connect, createServer, type Socket } from "node:net";

/** Which way a chunk went: from the client to the target, or back. */
export type Flow = "to-target" | "to-client";

export interface CapturedConnection {
  readonly id: number;
  /** Every byte in each direction, in order. */
  readonly toTarget: Buffer[];
  readonly toClient: Buffer[];
}

export interface CaptureProxy {
  readonly port: number;
  readonly url: (scheme: string) => string;
  readonly connections: readonly CapturedConnection[];
  /** The whole capture, both directions of every connection, as one buffer (for scanning). */
  bytes(): Buffer;
  /** One direction of one connection as one buffer. */
  stream(connection: CapturedConnection, flow: Flow): Buffer;
  /**
   * Cuts the line: open connections are dropped and new ones refused, as when the network goes down
   * (the target keeps running). `false` lets connections through again.
   */
  setCut(cut: boolean): void;
  close(): Promise<void>;
}

/**
 * A TCP proxy on a free port in front of `target`, recording every byte in both directions: put it
 * between a client and a server to see exactly what crossed the network.
 */
export async function startCaptureProxy(target: { host: string; port: number }): Promise<CaptureProxy> {
  const connections: CapturedConnection[] = [];
  const open = new Set<Socket>();
  let cut = false;
  const server = createServer((client) => {
    if (cut) {
      client.destroy();
      return;
    }
    const captured: CapturedConnection = { id: connections.length + 1, toTarget: [], toClient: [] };
    connections.push(captured);
    const upstream = connect(target.port, target.host);
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on("error", () => {
        client.destroy();
        upstream.destroy();
      });
      socket.on("close", () => {
        open.delete(socket);
        (socket === client ? upstream : client).end();
      });
    }
    client.on("data", (chunk: Buffer) => {
      captured.toTarget.push(Buffer.from(chunk));
      upstream.write(chunk);
    });
    upstream.on("data", (chunk: Buffer) => {
      captured.toClient.push(Buffer.from(chunk));
      client.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  const dropAll = (): void => {
    for (const socket of open) socket.destroy();
  };
  return {
    port,
    url: (scheme) => `${scheme}://127.0.0.1:${port}`,
    connections,
    bytes: () => Buffer.concat(connections.flatMap((c) => [...c.toTarget, ...c.toClient])),
    stream: (connection, flow) =>
      Buffer.concat(flow === "to-target" ? connection.toTarget : connection.toClient),
    setCut: (value) => {
      cut = value;
      if (cut) dropAll();
    },
    close: async () => {
      dropAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
