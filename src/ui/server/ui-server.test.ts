import { request as httpRequest } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { fixedClock } from "../../core/clock.js";
import { createMemoryLogger } from "../../core/logger.js";
import { SimulatedLine } from "../../drivers/serial/simulated-line.js";
import type { ServerMessage } from "../protocol.js";
import { fakeMode } from "./fake-mode.test-helpers.js";
import { UiSession } from "./session.js";
import { type RunningUiServer, startUiServer } from "./ui-server.js";

const servers: RunningUiServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

async function serve(devPanel: boolean) {
  const session = new UiSession({
    modes: { "self-service": fakeMode() },
    idleTimeoutSeconds: 60,
    locales: ["en-US"],
    timeZone: "America/Denver",
    devPanel,
    lock: () => ({ locked: false }),
    status: () => ({ online: null, waitingToSync: 0, reader: "ready", smartReader: "none", cards: "ready" }),
    clock: fixedClock("2026-11-26T10:00:00Z"),
    logger: createMemoryLogger(),
  });
  const line = new SimulatedLine();
  const stream = await line.open();
  const received: Buffer[] = [];
  stream.on("data", (chunk: Buffer) => received.push(chunk));
  const logger = createMemoryLogger();
  const server = await startUiServer({
    host: "127.0.0.1",
    port: 0,
    session,
    devPanel: devPanel ? { cardReader: line, scanner: null, session } : null,
    logger,
    webDir: "dist/ui/web/",
  });
  servers.push(server);
  return { server, session, received, logger };
}

/** A browser's socket: collects what the server sends. */
async function socket(
  url: string,
  options: WebSocket.ClientOptions = {},
): Promise<{ ws: WebSocket; messages: ServerMessage[]; next(): Promise<ServerMessage> }> {
  const ws = new WebSocket(`${url.replace("http", "ws")}ws`, options);
  const messages: ServerMessage[] = [];
  let waiting: ((message: ServerMessage) => void) | null = null;
  ws.on("message", (data) => {
    const message = JSON.parse(String(data)) as ServerMessage;
    messages.push(message);
    waiting?.(message);
    waiting = null;
  });
  await new Promise((resolve, reject) => {
    ws.once("open", resolve);
    ws.once("error", reject);
  });
  return {
    ws,
    messages,
    next: () =>
      new Promise((resolve) => {
        waiting = resolve;
      }),
  };
}

describe("UI server", () => {
  it("serves the built front end and the screen on connect", async () => {
    const { server } = await serve(false);
    const page = await fetch(server.url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<script type="module" src="/app.js">');
    const script = await fetch(`${server.url}app.js`, { headers: { "accept-encoding": "gzip" } });
    expect(script.headers.get("content-encoding")).toBe("gzip");
    const browser = await socket(server.url);
    await expect.poll(() => browser.messages.length).toBe(1);
    expect(browser.messages[0]).toMatchObject({ type: "screen", screen: { name: "self.attract" } });
    browser.ws.close();
  });

  it("answers a malformed or unknown message with a coded error and changes nothing", async () => {
    const { server, session } = await serve(false);
    const browser = await socket(server.url);
    await expect.poll(() => browser.messages.length).toBe(1);
    for (const bad of [
      "not json",
      JSON.stringify({ type: "touch" }),
      JSON.stringify({ type: "touch", action: "start", extra: 1 }),
      JSON.stringify({ type: "touch", action: "x".repeat(100) }),
    ]) {
      const reply = browser.next();
      browser.ws.send(bad);
      expect(await reply).toMatchObject({ type: "error", code: "UI_MESSAGE_INVALID" });
    }
    const refused = browser.next();
    browser.ws.send(JSON.stringify({ type: "touch", action: "pay" }));
    expect(await refused).toMatchObject({ type: "error", code: "UI_ACTION_UNAVAILABLE" });
    expect(session.current().screen.name).toBe("self.attract");
    const moved = browser.next();
    browser.ws.send(JSON.stringify({ type: "touch", action: "start" }));
    expect(await moved).toMatchObject({ type: "screen", screen: { name: "self.find" } });
    browser.ws.close();
  });

  it("the dev panel swipes a test card through the simulated reader's line, and only in simulated mode", async () => {
    const { server, received } = await serve(true);
    const swiped = await postJson(`${server.url}dev/swipe`, { card: "approved" });
    expect(swiped.status).toBe(200);
    await expect.poll(() => Buffer.concat(received).toString("latin1")).toMatch(/^%B\d{16}\^.*\r$/);
    const bad = await postJson(`${server.url}dev/swipe`, { card: "stolen" });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: "UI_DEV_REQUEST_INVALID" });

    const { server: real } = await serve(false);
    const off = await postJson(`${real.url}dev/swipe`, { card: "approved" });
    expect(off.status).toBe(404);
    expect(await off.json()).toMatchObject({ code: "UI_DEV_PANEL_OFF" });
  });

  it("the dev panel takes JSON only: a text/plain or form post swipes nothing", async () => {
    const { server, received } = await serve(true);
    for (const type of [
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
    ]) {
      const posted = await fetch(`${server.url}dev/swipe`, {
        method: "POST",
        headers: { "content-type": type },
        body: JSON.stringify({ card: "approved" }),
      });
      expect(posted.status, type).toBe(415);
      expect(await posted.json()).toMatchObject({ code: "UI_DEV_REQUEST_INVALID" });
    }
    const huge = await postJson(`${server.url}dev/scan`, { code: "1".repeat(10_000) });
    expect(huge.status).toBe(400);
    expect(received).toHaveLength(0);
  });

  it("serves nothing to another Host or another origin, and logs a flood of refusals once", async () => {
    const { server, logger } = await serve(true);
    const { port } = server;
    const forged = await rawGet(port, "/", { host: `evil.example:${port}` });
    expect(forged.status).toBe(403);
    expect(JSON.parse(forged.body)).toMatchObject({ code: "UI_ORIGIN_REFUSED" });
    for (let i = 0; i < 50; i++) {
      const refused = await rawGet(port, "/health", {
        host: `127.0.0.1:${port}`,
        origin: "http://evil.example",
      });
      expect(refused.status).toBe(403);
    }
    expect((await rawGet(port, "/health", { host: `localhost:${port}` })).status).toBe(200);
    expect(logger.lines.filter((line) => line.includes("UI_ORIGIN_REFUSED"))).toHaveLength(1);

    await expect(socket(server.url, { origin: "http://evil.example" })).rejects.toThrow(/403/);
    await expect(socket(server.url, { headers: { host: `evil.example:${port}` } })).rejects.toThrow(/403/);
    const own = await socket(server.url, { origin: `http://127.0.0.1:${port}` });
    await expect.poll(() => own.messages.length).toBe(1);
    own.ws.close();
  });

  it("refuses oversized, binary, nested and control-character messages, and keeps serving", async () => {
    const { server, session } = await serve(false);
    const browser = await socket(server.url);
    await expect.poll(() => browser.messages.length).toBe(1);
    const refusals: [string | Buffer, string][] = [
      [JSON.stringify({ type: "touch", action: "key", value: "x".repeat(2000) }), "UI_MESSAGE_TOO_LARGE"],
      [
        `{"type":"touch","action":"start","value":${"[".repeat(200)}${"]".repeat(200)}}`,
        "UI_MESSAGE_INVALID",
      ],
      ['{"type":"touch","action":"start","__proto__":{"polluted":1}}', "UI_MESSAGE_INVALID"],
      [JSON.stringify({ type: "touch", action: "key", value: "1\u0000" }), "UI_MESSAGE_INVALID"],
      [JSON.stringify({ type: "touch", action: "key", value: 7 }), "UI_MESSAGE_INVALID"],
      ["[]", "UI_MESSAGE_INVALID"],
      ["null", "UI_MESSAGE_INVALID"],
    ];
    for (const [bad, code] of refusals) {
      const reply = browser.next();
      browser.ws.send(bad);
      expect(await reply, String(bad).slice(0, 40)).toMatchObject({ type: "error", code });
    }
    const binary = browser.next();
    browser.ws.send(Buffer.from(JSON.stringify({ type: "touch", action: "start" })), { binary: true });
    expect(await binary).toMatchObject({ type: "error", code: "UI_MESSAGE_INVALID" });
    expect(session.current().screen.name).toBe("self.attract");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();

    // A frame over the socket's cap closes that socket; the server serves the next one.
    const closed = new Promise<number>((resolve) => browser.ws.once("close", (code) => resolve(code)));
    browser.ws.send("x".repeat(10_000));
    expect(await closed).toBe(1009);
    const next = await socket(server.url);
    await expect.poll(() => next.messages.length).toBe(1);
    const moved = next.next();
    next.ws.send(JSON.stringify({ type: "touch", action: "start" }));
    expect(await moved).toMatchObject({ type: "screen", screen: { name: "self.find" } });
    next.ws.close();
  });
});

async function postJson(url: string, body: unknown): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

/** A GET with exactly these headers (fetch does not let a test set Host). */
function rawGet(
  port: number,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: "127.0.0.1", port, path, headers, setHost: false }, (response) => {
      let body = "";
      response.on("data", (chunk: Buffer) => {
        body += chunk.toString("utf8");
      });
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on("error", reject);
    request.end();
  });
}
