import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type RequestListener, type Server } from "node:http";
import { createServer as createTlsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { HttpTimeoutError, httpExchange } from "./http-exchange.js";

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function listen(server: Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

const serve = (handler: RequestListener): Promise<number> => listen(createServer(handler));

describe("httpExchange", () => {
  it("sends the method, headers and body, and reads the whole answer", async () => {
    const port = await serve((request, response) => {
      let body = "";
      request.on("data", (chunk: Buffer) => {
        body += chunk.toString();
      });
      request.on("end", () => {
        response.writeHead(201, { "content-type": "application/json" });
        // The answer in two writes, as a large one would arrive.
        const answer = JSON.stringify({ method: request.method, key: request.headers["x-key"], body });
        response.write(answer.slice(0, 5));
        response.end(answer.slice(5));
      });
    });
    const answer = await httpExchange(`http://127.0.0.1:${port}/v1/charges`, {
      method: "POST",
      headers: { "x-key": "k-1" },
      body: '{"amount_minor":1250}',
      timeoutMs: 2000,
    });
    expect(answer.status).toBe(201);
    expect(answer.ok).toBe(true);
    expect(JSON.parse(answer.text)).toEqual({ method: "POST", key: "k-1", body: '{"amount_minor":1250}' });
  });

  it("gives a 5xx as an answer that is not ok, not as an error", async () => {
    const port = await serve((_request, response) => response.writeHead(503).end("busy"));
    const answer = await httpExchange(`http://127.0.0.1:${port}/`, { method: "GET", timeoutMs: 2000 });
    expect(answer).toEqual({ status: 503, ok: false, text: "busy" });
  });

  it("gives up with a timeout error when the answer does not come in time, even half sent", async () => {
    const silent = await serve(() => {});
    await expect(
      httpExchange(`http://127.0.0.1:${silent}/`, { method: "GET", timeoutMs: 100 }),
    ).rejects.toThrow(HttpTimeoutError);
    const halfway = await serve((_request, response) => {
      response.writeHead(200);
      response.write("{");
    });
    await expect(
      httpExchange(`http://127.0.0.1:${halfway}/`, { method: "GET", timeoutMs: 100 }),
    ).rejects.toThrow(HttpTimeoutError);
  });

  it("fails with the socket's error when nothing listens, and refuses other schemes", async () => {
    const port = await serve(() => {});
    servers[0]?.close();
    await expect(
      httpExchange(`http://127.0.0.1:${port}/`, { method: "GET", timeoutMs: 2000 }),
    ).rejects.toThrow(/ECONNREFUSED/);
    await expect(httpExchange("ftp://127.0.0.1/", { method: "GET", timeoutMs: 2000 })).rejects.toThrow(
      /scheme/,
    );
  });

  it("speaks TLS to an https gateway and refuses a certificate no authority signed", async () => {
    const dir = mkdtempSync(join(tmpdir(), "spectra-https-"));
    try {
      execFileSync(
        "openssl",
        ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1"].concat([
          "-keyout",
          "key.pem",
          "-out",
          "cert.pem",
        ]),
        { cwd: dir, stdio: "ignore" },
      );
      const server = createTlsServer(
        { key: readFileSync(join(dir, "key.pem")), cert: readFileSync(join(dir, "cert.pem")) },
        (_request, response) => response.end("secret"),
      );
      const port = await listen(server as unknown as Server);
      await expect(
        httpExchange(`https://127.0.0.1:${port}/`, { method: "GET", timeoutMs: 2000 }),
      ).rejects.toThrow(/self[- ]signed/i);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
