import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { verifyPin } from "../../src/checkout/staff/pin-hash.js";
import { DEFAULT_CONFIG_PATH } from "../../src/config/load.js";
import { LATEST_VERSION } from "../../src/store/migrations/index.js";
import { tempDir } from "../helpers/store.js";

const BIN = fileURLToPath(new URL("../../bin/spectra-kiosk.js", import.meta.url));
const dir = tempDir("spectra-cli-");
afterAll(() => dir.remove());

function run(args: string[], options: { input?: string; env?: Record<string, string> } = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    input: options.input ?? "",
    env: { PATH: process.env.PATH ?? "", ...options.env },
    encoding: "utf8",
    cwd: dir.path,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function configWith(change: (config: Record<string, unknown>) => void): string {
  const config = JSON.parse(readFileSync(DEFAULT_CONFIG_PATH, "utf8")) as Record<string, unknown>;
  config.dataDir = join(dir.path, "data");
  change(config);
  const path = join(dir.path, `config-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, JSON.stringify(config));
  return path;
}

describe("spectra-kiosk command line", () => {
  it("config check: exit 0 for a valid file, 1 listing every problem otherwise", () => {
    expect(run(["config", "check"]).code).toBe(0);
    const bad = configWith((config) => {
      config.deviceId = "NOPE";
      config.colour = "red";
    });
    const result = run(["config", "check", "--config", bad]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("[CONFIG_INVALID]");
    expect(result.stderr).toContain("deviceId: 3–63 lowercase letters, digits and dashes");
    expect(result.stderr).toContain("colour: unknown key");
    expect(result.stderr).not.toMatch(/\bat .*\.js:\d+/); // no stack trace
    expect(run(["config", "check"], { env: { SPECTRA_KIOSK_CONFIG: bad } }).code).toBe(1);
  });

  it("errors are one coded line, with the stack only under --verbose", () => {
    const missing = run(["db", "check", "--config", "/nonexistent.json"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split("\n")).toEqual([
      "error: [CONFIG_UNREADABLE] Cannot read the configuration file /nonexistent.json (ENOENT).",
    ]);
    const verbose = run(["--verbose", "db", "check", "--config", "/nonexistent.json"]);
    // Mapped through the bundle's source maps back to the source.
    expect(verbose.stderr).toMatch(/at readJson .*src\/config\/load\.ts:\d+/);
  });

  it("staff hash-pin reads the PIN from standard input and prints a hash that verifies", async () => {
    const result = run(["staff", "hash-pin"], { input: "73915\n" });
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain("73915");
    expect(await verifyPin("73915", result.stdout.trim())).toBe(true);
    expect(run(["staff", "hash-pin"], { input: "12\n" }).stderr).toContain("[STAFF_PIN_INVALID]");
  });

  it("db check passes a healthy database and fails a tampered one", () => {
    const config = configWith(() => {});
    const start = spawnSync(process.execPath, [BIN, "start", "--config", config], {
      timeout: 3000,
      killSignal: "SIGTERM",
      cwd: dir.path,
    });
    expect(start.error).toBeDefined(); // it runs until stopped: the timeout ended it
    const db = join(dir.path, "data", "kiosk.sqlite");
    expect(run(["db", "check", "--db", db])).toMatchObject({
      code: 0,
      stdout: expect.stringContaining(`schema ${LATEST_VERSION}, 0 records`),
    });
    spawnSync("sqlite3", [
      db,
      "INSERT INTO audit_log VALUES (1, 'x', 'k', NULL, 'a', 'e', 'i', '{}', 'p', 'h')",
    ]);
    const tampered = run(["db", "check", "--db", db]);
    expect(tampered.code).toBe(1);
    expect(tampered.stderr).toContain("audit row 1 does not link to the row before it");
  });

  it("--help works on every command", () => {
    for (const args of [
      ["--help"],
      ["start", "--help"],
      ["config", "check", "--help"],
      ["db", "check", "--help"],
      ["staff", "hash-pin", "--help"],
    ]) {
      const result = run(args);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain("Usage: spectra-kiosk");
    }
  });

  it("an unknown command exits 2", () => {
    expect(run(["frobnicate"]).code).toBe(2);
  });
});
