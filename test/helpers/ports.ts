import { createServer } from "node:net";

/**
 * Ports are picked below the kernel's ephemeral range (32768–60999 on Linux): a port the OS hands out
 * for `listen(0)` is also one it hands to outgoing connections, so between our check and a server's
 * bind another test's client socket could take it ("Address already in use").
 */
const LOW = 20_000;
const HIGH = 32_000;

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** A TCP port that was free a moment ago, outside the range outgoing connections take theirs from. */
export async function freePort(): Promise<number> {
  for (let tries = 0; tries < 200; tries += 1) {
    const port = LOW + Math.floor(Math.random() * (HIGH - LOW));
    if (await canListen(port)) return port;
  }
  throw new Error(`no free port between ${LOW} and ${HIGH}`);
}
