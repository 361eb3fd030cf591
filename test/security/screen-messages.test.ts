import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import NodeWebSocket from "ws";
import { ErrorCodes } from "../../src/core/error-codes.js";
import { TEST_CARDS } from "../../src/drivers/card-reader/fixtures/test-cards.js";
import type { Invoice } from "../../src/payments/invoice.js";
import type { ServerMessage } from "../../src/ui/protocol.js";
import { simCharges } from "../helpers/card-payments.js";
import { rawRequest } from "../helpers/hostile-web.js";
import { type KioskScreen, startKioskScreen } from "../helpers/kiosk-screen.js";
import { sleep } from "../helpers/wait.js";

const INVOICE: Invoice = {
  id: "inv-7101",
  number: "7101",
  client: { id: "cl-71", firstName: "Bo", lastName: "Li" },
  sessionId: null,
  lines: [{ description: "Album", quantity: 1, amountMinor: 9_000 }],
  totalMinor: 9_000,
  currency: "USD",
  version: 1,
};

/** A second client of the screen's socket, from the kiosk's own origin: what it sends and gets. */
async function screenSocket(url: string) {
  const origin = url.slice(0, -1);
  const ws = new NodeWebSocket(`${url.replace("http", "ws")}ws`, { origin });
  const messages: ServerMessage[] = [];
  let closedWith: number | null = null;
  ws.on("message", (data) => messages.push(JSON.parse(String(data)) as ServerMessage));
  ws.on("close", (code) => {
    closedWith = code;
  });
  await new Promise((resolve, reject) => {
    ws.once("open", resolve);
    ws.once("error", reject);
  });
  return { ws, messages, closedWith: () => closedWith };
}

type Shown = Extract<ServerMessage, { type: "screen" }>["screen"];

/** Touches over the socket, as the browser sends them, and waits for the screen that answers. */
function driver(socket: Awaited<ReturnType<typeof screenSocket>>) {
  const screens = () =>
    socket.messages.filter((m): m is Extract<ServerMessage, { type: "screen" }> => m.type === "screen");
  return {
    current: (): Shown | undefined => screens().at(-1)?.screen,
    async touch(action: string, value?: string, until?: (screen: Shown) => boolean): Promise<Shown> {
      const seen = socket.messages.length;
      socket.ws.send(JSON.stringify({ type: "touch", action, ...(value === undefined ? {} : { value }) }));
      let shown: Shown | undefined;
      await expect
        .poll(
          () => {
            const replies = socket.messages.slice(seen);
            const last = replies.filter((m) => m.type === "screen").at(-1) as
              | Extract<ServerMessage, { type: "screen" }>
              | undefined;
            shown = last?.screen;
            return replies.length > 0 && shown !== undefined && (until ? until(shown) : true);
          },
          { timeout: 10_000 },
        )
        .toBe(true);
      return shown as Shown;
    },
  };
}

function kioskRecords(file: string): { amount_minor: number; status: string }[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare("SELECT amount_minor, status FROM payment_records").all() as {
      amount_minor: number;
      status: string;
    }[];
  } finally {
    db.close();
  }
}

describe("hostile screen messages (kiosk process with a real reader on a pty, Chromium)", () => {
  let screen: KioskScreen;
  let port: number;

  beforeAll(async () => {
    screen = await startKioskScreen({ deviceId: "kiosk-sec-messages", invoices: [INVOICE] });
    port = Number(new URL(screen.url).port);
  }, 90_000);

  afterAll(async () => {
    await screen?.stop();
  });

  it("has no dev endpoints: a kiosk with a real reader answers 404 to every one of them", async () => {
    const host = `127.0.0.1:${port}`;
    const json = { host, "content-type": "application/json" };
    for (const [method, path, headers] of [
      ["GET", "/dev/cards", { host }],
      ["POST", "/dev/swipe", json],
      ["POST", "/dev/scan", json],
    ] as const) {
      const reply = await rawRequest(port, {
        method,
        path,
        headers,
        ...(method === "POST" ? { body: JSON.stringify({ card: "approved", code: "7101" }) } : {}),
      });
      expect(reply.status, path).toBe(404);
      expect(JSON.parse(reply.body)).toMatchObject({ code: ErrorCodes.UI_DEV_PANEL_OFF });
    }
    expect(simCharges(screen.processor).length).toBe(0);
  });

  it("refuses every hostile message with a code, changes nothing, and the kiosk then takes a payment", async () => {
    const hostile = await screenSocket(screen.url);
    await expect.poll(() => hostile.messages.length).toBe(1);
    const attacks: (string | Buffer)[] = [
      "not json",
      `${"[".repeat(5000)}${"]".repeat(5000)}`.slice(0, 1000),
      `{"type":"touch","action":"start","value":${"[".repeat(300)}1${"]".repeat(300)}}`,
      '{"type":"touch","action":"start","__proto__":{"isAdmin":true}}',
      '{"type":"touch","action":"start","constructor":{"prototype":{"polluted":1}}}',
      JSON.stringify({ type: "touch", action: "staff", value: "\u0000\u001b[2J" }),
      JSON.stringify({ type: "touch", action: "key", value: "9".repeat(65) }),
      JSON.stringify({ type: "touch", action: "x".repeat(41) }),
      JSON.stringify({ type: "touch", action: "START" }),
      JSON.stringify({ type: "screen", seq: 1e9, screen: { name: "staff.home" } }),
      JSON.stringify([{ type: "touch", action: "start" }]),
      JSON.stringify({ type: "touch", action: "key", value: "\u00e9".repeat(300) }),
      "\ufeff".repeat(400),
    ];
    for (const attack of attacks) hostile.ws.send(attack);
    hostile.ws.send(Buffer.from(JSON.stringify({ type: "touch", action: "start" })), { binary: true });
    await expect.poll(() => hostile.messages.length, { timeout: 10_000 }).toBe(attacks.length + 2);
    const replies = hostile.messages.slice(1);
    for (const reply of replies) {
      expect(reply.type).toBe("error");
      expect([ErrorCodes.UI_MESSAGE_INVALID, ErrorCodes.UI_MESSAGE_TOO_LARGE]).toContain(
        (reply as { code: string }).code,
      );
    }
    // A flood of touches that do not apply: each answered, none moves the screen, nothing wedges.
    const before = hostile.messages.length;
    for (let i = 0; i < 2000; i++) hostile.ws.send(JSON.stringify({ type: "touch", action: "pay" }));
    await expect.poll(() => hostile.messages.length, { timeout: 20_000 }).toBe(before + 2000);
    expect(hostile.messages.slice(before).every((m) => m.type === "error")).toBe(true);
    // A frame over the socket's cap closes that socket, and only that one.
    hostile.ws.send("x".repeat(64 * 1024));
    await expect.poll(() => hostile.closedWith(), { timeout: 10_000 }).toBe(1009);
    expect(await screen.screenName()).toBe("self.attract");
    expect(kioskRecords(screen.databaseFile)).toEqual([]);

    // The real screen takes a card payment as ever.
    await screen.tap("start");
    await screen.waitForScreen("self.find");
    await screen.typeKeys("7101");
    await screen.tap("field-lastName");
    await screen.typeKeys("LI");
    await screen.tap("search");
    await screen.waitForScreen("self.summary");
    await screen.tap("pay");
    await screen.waitForScreen("self.amount");
    await screen.tap("pay-balance");
    await screen.waitForScreen("self.method");
    await screen.tap("method-card");
    await screen.waitForScreen("self.swipe");
    await screen.swipe(TEST_CARDS.visa);
    await screen.waitForScreen("self.receipt", 20_000);
    expect(kioskRecords(screen.databaseFile)).toEqual([{ amount_minor: 9_000, status: "completed" }]);
    expect(simCharges(screen.processor).length).toBe(1);
    await screen.tap("no-receipt");
    await screen.waitForScreen("self.thank-you");
  }, 90_000);

  it("keeps the staff guards and the PIN lockout, whatever the socket sends (already refused; kept so)", async () => {
    if ((await screen.screenName()) === "self.thank-you") await screen.tap("done");
    await screen.waitForScreen("self.attract");
    const socket = await screenSocket(screen.url);
    await expect.poll(() => socket.messages.length).toBe(1);
    const kiosk = driver(socket);
    // Staff actions from self-service change nothing.
    for (const action of ["void", "report-z", "unlock", "sign-out"]) {
      const seen = socket.messages.length;
      socket.ws.send(JSON.stringify({ type: "touch", action }));
      await expect.poll(() => socket.messages.length).toBeGreaterThan(seen);
      expect(socket.messages.at(-1)).toMatchObject({ type: "error", code: ErrorCodes.UI_ACTION_UNAVAILABLE });
    }
    expect(kiosk.current()?.name).toBe("self.attract");

    // A cashier (demo PIN 2468) touching a manager's tile gets STAFF_ROLE_REQUIRED, and stays home.
    await kiosk.touch("staff", undefined, (shown) => shown.name === "staff.sign-in");
    for (const digit of "2468") await kiosk.touch("key", digit);
    await kiosk.touch("submit", undefined, (shown) => shown.name === "staff.home");
    for (const action of ["void", "report-z"]) {
      const home = await kiosk.touch(action, undefined, (shown) => shown.name === "staff.home");
      expect(home).toMatchObject({ notice: { code: ErrorCodes.STAFF_ROLE_REQUIRED } });
    }
    await kiosk.touch("sign-out", undefined, (shown) => shown.name.startsWith("self."));

    // Five wrong PINs lock sign-in; the manager's right PIN is then refused too.
    await kiosk.touch("staff", undefined, (shown) => shown.name === "staff.sign-in");
    for (let attempt = 1; attempt <= 5; attempt++) {
      for (const digit of "9090") await kiosk.touch("key", digit);
      await kiosk.touch(
        "submit",
        undefined,
        (shown) => shown.name === "staff.sign-in" && !("checking" in shown && shown.checking),
      );
    }
    expect(kiosk.current()).toMatchObject({ name: "staff.sign-in", lockedUntil: expect.any(String) });
    const seen = socket.messages.length;
    for (const digit of "1234")
      socket.ws.send(JSON.stringify({ type: "touch", action: "key", value: digit }));
    socket.ws.send(JSON.stringify({ type: "touch", action: "submit" }));
    await sleep(1500); // longer than a PIN check takes
    expect(socket.messages.length).toBeGreaterThan(seen);
    expect(
      socket.messages.slice(seen).some((m) => m.type === "screen" && m.screen.name !== "staff.sign-in"),
    ).toBe(false);
    expect(kiosk.current()).toMatchObject({
      name: "staff.sign-in",
      error: { code: ErrorCodes.STAFF_SIGN_IN_LOCKED },
    });
    await kiosk.touch("leave", undefined, (shown) => shown.name.startsWith("self."));
    socket.ws.close();
  }, 60_000);
});
