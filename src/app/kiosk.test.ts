import { once } from "node:events";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { tempDir } from "../../test/helpers/store.js";
import { loadConfig } from "../config/load.js";
import { fixedClock, systemClock } from "../core/clock.js";
import { createMemoryLogger } from "../core/logger.js";
import { fullSwipe, TEST_CARDS } from "../drivers/card-reader/swipe-builder.js";
import { startKiosk } from "./kiosk.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("startKiosk with the default (laptop) configuration", () => {
  it("starts the simulated drivers after the store, and stops them", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "spectra-kiosk-"));
    dirs.push(dataDir);
    const { config } = loadConfig({ env: {} });
    const logger = createMemoryLogger();
    const kiosk = await startKiosk({ config: { ...config, dataDir }, logger, clock: systemClock });
    try {
      expect(kiosk.state.kind).toBe("in-service");
      const reader = kiosk.drivers.cardReader;
      const line = kiosk.drivers.simulated.cardReader;
      if (!reader || !line) throw new Error("the default config has a simulated card reader");
      expect(reader.health).toMatchObject({ state: "connected", simulated: true });
      expect(kiosk.drivers.gpio.health.state).toBe("simulated");
      const read = once(reader, "cardRead");
      line.emitData(`${fullSwipe(TEST_CARDS.amex)}\r`);
      expect((await read)[0]).toMatchObject({ maskedPan: "378282*****0005", brand: "American Express" });
    } finally {
      await kiosk.stop();
    }
    expect(kiosk.drivers.cardReader?.health.state).toBe("disconnected");
    expect(logger.lines.join("\n")).not.toContain(TEST_CARDS.amex.pan);
  });
});

describe("starting the kiosk", () => {
  const dir = tempDir("spectra-kiosk-");
  afterAll(() => dir.remove());
  const config = (dataDir: string) => ({ ...loadConfig({ env: {} }).config, dataDir });

  it("goes in service on a healthy database", async () => {
    const kiosk = await startKiosk({
      config: config(join(dir.path, "ok")),
      logger: createMemoryLogger(),
      clock: fixedClock("2026-11-26T17:00:00Z"),
    });
    expect(kiosk.state.kind).toBe("in-service");
    await kiosk.stop();
  });

  it("goes out of service, saying why, on a damaged database", async () => {
    const dataDir = join(dir.path, "damaged");
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, "kiosk.sqlite"), Buffer.alloc(8192, 0x41));
    const logger = createMemoryLogger();
    const kiosk = await startKiosk({
      config: config(dataDir),
      logger,
      clock: fixedClock("2026-11-26T17:00:00Z"),
    });
    expect(kiosk.state).toMatchObject({ kind: "out-of-service", reason: { code: "STORE_DAMAGED" } });
    expect(logger.lines.join("\n")).toContain("OUT OF SERVICE: [STORE_DAMAGED]");
    await kiosk.stop();
  });
});
