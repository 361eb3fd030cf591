import { mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  healthReaches,
  LINE_ENDING,
  nextEvent,
  readerOn,
} from "../../src/drivers/card-reader/reader-contract.test-helpers.js";
import { fullSwipe, TEST_CARDS } from "../../src/drivers/card-reader/swipe-builder.js";
import { SocatPair } from "../../src/drivers/serial/socat-pair.js";
import { serialTransport } from "../../src/drivers/serial/transport.js";

const dir = mkdtempSync(join(tmpdir(), "spectra-reconnect-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("card reader reconnection over real ptys", () => {
  it("waits for a path that is not there yet, then connects when the device appears", async () => {
    const kioskPath = join(dir, "late-kiosk");
    const harness = { open: serialTransport({ path: kioskPath, baudRate: 9600 }), simulated: false };
    const { reader } = readerOn({
      ...harness,
      send: async () => {},
      unplug: async () => {},
      replug: async () => {},
      close: async () => {},
    });
    const states: string[] = [];
    reader.on("health", (health) => states.push(health.state));
    reader.start();
    let pair: SocatPair | null = null;
    try {
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(reader.health.state).toBe("disconnected");
      expect(reader.health.detail).toContain("nothing at");
      pair = await SocatPair.start(dir, "late");
      await healthReaches(reader, "connected");
      const read = nextEvent(reader, "cardRead");
      await pair.send(`${fullSwipe(TEST_CARDS.visa)}${LINE_ENDING}`);
      expect((await read).maskedPan).toBe("411111******1111");
      expect(states).toContain("connected");
    } finally {
      await reader.stop();
      await pair?.kill();
    }
  });

  it("reports error for a path that exists but is not a serial port, and keeps retrying", async () => {
    const path = join(dir, "not-a-tty");
    writeFileSync(path, "");
    const { reader } = readerOn({
      open: serialTransport({ path, baudRate: 9600 }),
      simulated: false,
      send: async () => {},
      unplug: async () => {},
      replug: async () => {},
      close: async () => {},
    });
    let attempts = 0;
    reader.on("health", () => {
      attempts += 1;
    });
    reader.start();
    try {
      await healthReaches(reader, "error");
      expect(reader.health.detail).not.toBeNull();
      expect(attempts).toBeGreaterThanOrEqual(1);
    } finally {
      await reader.stop();
    }
  });

  it("survives three unplug/replug cycles in a row", async () => {
    const pair = await SocatPair.start(dir, "cycles");
    const { reader } = readerOn({
      open: serialTransport({ path: pair.kioskPath, baudRate: 9600 }),
      simulated: false,
      send: (bytes) => pair.send(bytes),
      unplug: () => pair.kill(),
      replug: () => pair.restart(),
      close: () => pair.kill(),
    });
    reader.start();
    try {
      for (let cycle = 0; cycle < 3; cycle += 1) {
        await healthReaches(reader, "connected");
        const read = nextEvent(reader, "cardRead");
        await pair.send(`${fullSwipe(TEST_CARDS.mastercard)}${LINE_ENDING}`);
        expect((await read).maskedPan).toBe("555555******4444");
        await pair.kill();
        await healthReaches(reader, "disconnected");
        await pair.restart();
      }
    } finally {
      await reader.stop();
      await pair.kill();
    }
  });

  it("notices when the path now leads to another device, and moves to it", async () => {
    // serialport alone never notices: the first device is still there, just no longer at the path.
    const first = await SocatPair.start(dir, "first");
    const second = await SocatPair.start(dir, "second");
    const link = join(dir, "reader-link");
    symlinkSync(realpathSync(first.kioskPath), link);
    const { reader } = readerOn({
      open: serialTransport({ path: link, baudRate: 9600, presenceCheckMs: 50 }),
      simulated: false,
      send: async () => {},
      unplug: async () => {},
      replug: async () => {},
      close: async () => {},
    });
    reader.start();
    try {
      await healthReaches(reader, "connected");
      const states: string[] = [];
      reader.on("health", (health) => states.push(health.state));
      rmSync(link);
      symlinkSync(realpathSync(second.kioskPath), link);
      await healthReaches(reader, "disconnected");
      await healthReaches(reader, "connected");
      const read = nextEvent(reader, "cardRead");
      await second.send(`${fullSwipe(TEST_CARDS.amex)}${LINE_ENDING}`);
      expect((await read).maskedPan).toBe("378282*****0005");
      expect(states).toEqual(["disconnected", "connected"]);
    } finally {
      await reader.stop();
      await first.kill();
      await second.kill();
    }
  });
});
