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
    devPanel,
    lock: () => ({ locked: false }),
    status: () => ({ online: null, waitingToSync: 0, reader: "ready" }),
    clock: fixedClock("2026-11-26T10:00:00Z"),
    logger: createMemoryLogger(),
  });
  const line = new SimulatedLine();
  const stream = await line.open();
  const received: Buffer[] = [];
  stream.on("data", (chunk: Buffer) => received.push(chunk));
  const server = await startUiServer({
    host: "127.0.0.1",
    port: 0,
    session,
    devPanel: devPanel ? { cardReader: line, scanner: null, session } : null,
    logger: createMemoryLogger(),
    webDir: "dist/ui/web/",
  });
  servers.push(server);
  return { server, session, received };
}

/** A browser's socket: collects what the server sends. */
async function socket(
  url: string,
): Promise<{ ws: WebSocket; messages: ServerMessage[]; next(): Promise<ServerMessage> }> {
  const ws = new WebSocket(`${url.replace("http", "ws")}ws`);
  const messages: ServerMessage[] = [];
  let waiting: ((message: ServerMessage) => void) | null = null;
  ws.on("message", (data) => {
    const message = JSON.parse(String(data)) as ServerMessage;
    messages.push(message);
    waiting?.(message);
    waiting = null;
  });
  await new Promise((resolve) => ws.once("open", resolve));
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
    const swiped = await fetch(`${server.url}dev/swipe`, {
      method: "POST",
      body: JSON.stringify({ card: "approved" }),
    });
    expect(swiped.status).toBe(200);
    await expect.poll(() => Buffer.concat(received).toString("latin1")).toMatch(/^%B\d{16}\^.*\r$/);
    const bad = await fetch(`${server.url}dev/swipe`, {
      method: "POST",
      body: JSON.stringify({ card: "stolen" }),
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: "UI_DEV_REQUEST_INVALID" });

    const { server: real } = await serve(false);
    const off = await fetch(`${real.url}dev/swipe`, {
      method: "POST",
      body: JSON.stringify({ card: "approved" }),
    });
    expect(off.status).toBe(404);
    expect(await off.json()).toMatchObject({ code: "UI_DEV_PANEL_OFF" });
  });
});
