import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { spawnCli } from "../helpers/cli-process.js";
import { writeTestConfig } from "../helpers/kiosk-config.js";
import { kioskUnitProcess } from "../helpers/kiosk-unit.js";

describe("systemd/spectra-kiosk.service", () => {
  const dir = mkdtempSync(join(tmpdir(), "spectra-unit-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("runs node in lite mode, without WebAssembly and without a warning about it", async () => {
    const unit = kioskUnitProcess();
    expect(unit.nodeArgs).toEqual(expect.arrayContaining(["--lite-mode", "--no-expose-wasm"]));
    const child = spawnCli(["config", "check"], unit.env, unit.nodeArgs);
    await new Promise((resolve) => child.child.once("exit", resolve));
    expect(child.child.exitCode).toBe(0);
    expect(child.output()).not.toMatch(/warning/i);
  });

  it("refuses, in one clear line, to run the embedded central database (WebAssembly) under those flags", async () => {
    const config = writeTestConfig(dir, "central", {
      deviceId: "unit-central",
      dataDir: join(dir, "data"),
      central: { enabled: true, database: { mode: "embedded", dataDir: join(dir, "central") } },
    });
    const unit = kioskUnitProcess();
    const child = spawnCli(["central", "--config", config], unit.env, unit.nodeArgs);
    await new Promise((resolve) => child.child.once("exit", resolve));
    expect(child.child.exitCode).not.toBe(0);
    expect(child.output()).toContain("CENTRAL_DB_UNAVAILABLE");
    expect(child.output()).toContain("runs in WebAssembly");
    expect(child.output()).not.toMatch(/^\s+at /m);
  });
});
