import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { tempDir } from "../../test/helpers/store.js";
import { loadConfig } from "../config/load.js";
import { fixedClock } from "../core/clock.js";
import { createMemoryLogger } from "../core/logger.js";
import { startKiosk } from "./kiosk.js";

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
