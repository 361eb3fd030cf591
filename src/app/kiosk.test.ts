import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../config/load.js";
import { systemClock } from "../core/clock.js";
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
    expect(logger.lines.join("\n")).not.toContain("378282246310005");
  });
});
