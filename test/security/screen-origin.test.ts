import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import NodeWebSocket from "ws";
import { ErrorCodes } from "../../src/core/error-codes.js";
import type { Invoice } from "../../src/payments/invoice.js";
import { simCharges } from "../helpers/card-payments.js";
import { EVIL_HOST, type HostileWeb, rawRequest, startHostileWeb } from "../helpers/hostile-web.js";
import { type KioskScreen, startKioskScreen } from "../helpers/kiosk-screen.js";
import { sleep, until } from "../helpers/wait.js";

const INVOICE: Invoice = {
  id: "inv-7001",
  number: "7001",
  client: { id: "cl-7", firstName: "Ana", lastName: "Rios" },
  sessionId: null,
  lines: [{ description: "Portrait session", quantity: 1, amountMinor: 12_000 }],
  totalMinor: 12_000,
  currency: "USD",
  version: 1,
};

function kioskRecordCount(file: string): number {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare("SELECT count(*) AS n FROM payment_records").get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** Opens a WebSocket from Node with these options; resolves with what happened. */
function tryWebSocket(url: string, options: NodeWebSocket.ClientOptions): Promise<string> {
  return new Promise((resolve) => {
    const socket = new NodeWebSocket(url, options);
    socket.once("open", () => {
      socket.close();
      resolve("open");
    });
    socket.once("error", (error) => resolve(error.message));
  });
}

describe("the screen is the kiosk's alone (kiosk process in simulated mode, Chromium)", () => {
  let screen: KioskScreen;
  let hostile: HostileWeb;
  let port: number;

  beforeAll(async () => {
    screen = await startKioskScreen({
      deviceId: "kiosk-sec-origin",
      invoices: [INVOICE],
      extra: {
        drivers: {
          cardReader: { mode: "simulated" },
          scanner: { mode: "none" },
          gpio: { mode: "simulated", cashDrawer: { pin: 17 } },
          printer: { mode: "simulated" },
          cashDrawerVia: "gpio",
        },
      },
    });
    port = Number(new URL(screen.url).port);
    hostile = await startHostileWeb(screen.dir);
  }, 90_000);

  afterAll(async () => {
    await hostile?.close();
    await screen?.stop();
  });

  it("a wrong Host is refused, over HTTP and the WebSocket: a DNS-rebound page gets nothing", async () => {
    const forged = await rawRequest(port, { path: "/", headers: { host: `${EVIL_HOST}:${port}` } });
    expect(forged.status).toBe(403);
    expect(JSON.parse(forged.body)).toMatchObject({ code: ErrorCodes.UI_ORIGIN_REFUSED });
    expect(forged.body).not.toContain("<script");
    const socket = await tryWebSocket(`ws://127.0.0.1:${port}/ws`, {
      headers: { host: `${EVIL_HOST}:${port}` },
    });
    expect(socket).toMatch(/403/);

    // In a real browser: the attacker's name, rebound to the kiosk's address, at the kiosk's port.
    const rebound = await hostile.page.goto(`http://${EVIL_HOST}:${port}/`);
    expect(rebound?.status()).toBe(403);
    const opened = await hostile.page.evaluate(
      (url) =>
        new Promise<string>((resolve) => {
          const ws = new WebSocket(url);
          ws.onmessage = () => resolve("read the screen");
          ws.onclose = () => resolve("closed");
        }),
      `ws://${EVIL_HOST}:${port}/ws`,
    );
    expect(opened).toBe("closed");
    await hostile.page.goto(hostile.attackerUrl);
  });

  it("a page of another origin on the same machine can neither read nor drive the screen", async () => {
    const results = await hostile.page.evaluate(
      (urls) =>
        Promise.all(
          urls.map(
            (url) =>
              new Promise<string>((resolve) => {
                const ws = new WebSocket(url);
                ws.onopen = () => ws.send(JSON.stringify({ type: "touch", action: "start" }));
                ws.onmessage = () => resolve("read the screen");
                ws.onclose = () => resolve("closed");
              }),
          ),
        ),
      [`ws://127.0.0.1:${port}/ws`, `ws://localhost:${port}/ws`],
    );
    expect(results).toEqual(["closed", "closed"]);
    for (const origin of [hostile.attackerUrl.slice(0, -1), `http://127.0.0.1:${port + 1}`, "null"]) {
      expect(await tryWebSocket(`ws://127.0.0.1:${port}/ws`, { origin }), origin).toMatch(/403/);
    }
    // The kiosk's own origin is served (what its Chromium sends), and nothing above moved the screen.
    expect(await tryWebSocket(`ws://127.0.0.1:${port}/ws`, { origin: `http://127.0.0.1:${port}` })).toBe(
      "open",
    );
    expect(await screen.screenName()).toBe("self.attract");
  });

  it("a cross-site text/plain POST to /dev/swipe charges nothing while the screen waits for a card", async () => {
    await screen.tap("start");
    await screen.waitForScreen("self.find");
    await screen.typeKeys("7001");
    await screen.tap("field-lastName");
    await screen.typeKeys("RIOS");
    await screen.tap("search");
    await screen.waitForScreen("self.summary");
    await screen.tap("pay");
    await screen.waitForScreen("self.amount");
    await screen.tap("pay-balance");
    await screen.waitForScreen("self.method");
    await screen.tap("method-card");
    await screen.waitForScreen("self.swipe");

    // What a page anywhere can send without a CORS preflight: text/plain by fetch and by beacon.
    const sent = await hostile.page.evaluate(async (base) => {
      const body = JSON.stringify({ card: "approved" });
      const outcomes: string[] = [];
      for (const url of [`${base}dev/swipe`, `${base.replace("127.0.0.1", "localhost")}dev/swipe`]) {
        await fetch(url, { method: "POST", mode: "no-cors", headers: { "content-type": "text/plain" }, body })
          .then(() => outcomes.push("sent"))
          .catch(() => outcomes.push("failed"));
        // The page's navigator (the test's types are Node's, which have none).
        const { navigator } = globalThis as unknown as {
          navigator: { sendBeacon(u: string, b: string): boolean };
        };
        outcomes.push(navigator.sendBeacon(url, body) ? "beacon queued" : "beacon refused");
      }
      return outcomes;
    }, screen.url);
    expect(sent).toHaveLength(4);
    await sleep(1500);
    expect(await screen.screenName()).toBe("self.swipe");
    expect(simCharges(screen.processor).length).toBe(0);
    expect(kioskRecordCount(screen.databaseFile)).toBe(0);

    // Node with a browser's headers, in case the browser held anything back; and text/plain alone.
    const crossSite = await rawRequest(port, {
      method: "POST",
      path: "/dev/swipe",
      headers: {
        host: `127.0.0.1:${port}`,
        origin: hostile.attackerUrl.slice(0, -1),
        "content-type": "text/plain",
        "sec-fetch-site": "cross-site",
      },
      body: JSON.stringify({ card: "approved" }),
    });
    expect(crossSite.status).toBe(403);
    const plain = await rawRequest(port, {
      method: "POST",
      path: "/dev/swipe",
      headers: { host: `127.0.0.1:${port}`, "content-type": "text/plain" },
      body: JSON.stringify({ card: "approved" }),
    });
    expect(plain.status).toBe(415);
    await sleep(500);
    expect(simCharges(screen.processor).length).toBe(0);

    // The kiosk's own page swipes through the same endpoint: the refusal above was the origin's.
    await screen.tap("dev-open");
    await screen.tap("dev-swipe-approved");
    await screen.waitForScreen("self.receipt", 20_000);
    expect(simCharges(screen.processor).length).toBe(1);
    expect(kioskRecordCount(screen.databaseFile)).toBe(1);
    await screen.tap("no-receipt");
    await screen.waitForScreen("self.thank-you");
  }, 60_000);

  it("a flood of refused requests is logged once, with a count, not once per request", async () => {
    const logged = (): number =>
      screen.kiosk
        .output()
        .split("\n")
        .filter((line) => line.includes(ErrorCodes.UI_ORIGIN_REFUSED)).length;
    await until(() => logged() > 0, "the earlier refusals in the kiosk's log", 5_000);
    const before = logged();
    for (let i = 0; i < 200; i++) {
      const refused = await rawRequest(port, { path: "/health", headers: { host: `${EVIL_HOST}:${port}` } });
      expect(refused.status).toBe(403);
    }
    await sleep(200);
    expect(logged() - before).toBeLessThanOrEqual(2);
    // The kiosk still serves its own screen.
    expect((await rawRequest(port, { path: "/health", headers: { host: `127.0.0.1:${port}` } })).status).toBe(
      200,
    );
  });
});
