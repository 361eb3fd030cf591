import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { processService } from "../../src/app/release/kiosk-service.js";
import { ReleaseLayout } from "../../src/app/release/release-layout.js";
import { rawTestConfig } from "../helpers/kiosk-config.js";
import { freePort } from "../helpers/ports.js";
import { TestReleases } from "../helpers/releases.js";
import { tempDir } from "../helpers/store.js";
import { until } from "../helpers/wait.js";

const work = tempDir("spectra-update-");
const root = join(work.path, "opt");
const dataDir = join(work.path, "data");
const configFile = join(work.path, "kiosk.json");
const layout = new ReleaseLayout(root);
const service = processService({ root, config: configFile, stateDir: join(dataDir, "updates") });
afterAll(async () => {
  await service.stop();
  work.remove();
});

/** The current release's own command line, as the update unit runs it. */
function currentCli(...args: string[]) {
  const result = spawnSync("node", [join(root, "current", "bin", "spectra-kiosk.js"), ...args], {
    encoding: "utf8",
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

function schema(): { version: number; tables: string[] } {
  const db = new Database(join(dataDir, "kiosk.sqlite"), { readonly: true });
  try {
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .pluck()
      .all() as string[];
    return { version: db.pragma("user_version", { simple: true }) as number, tables };
  } finally {
    db.close();
  }
}

async function served(port: number): Promise<Record<string, unknown> | null> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/health`);
    return response.ok ? ((await response.json()) as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

describe("updates with rollback (spectra-kiosk release apply)", () => {
  const releases = new TestReleases(join(work.path, "releases"));
  let port = 0;

  it("installs a first release and runs it", { timeout: 60_000 }, async () => {
    port = await freePort();
    const raw = rawTestConfig({ deviceId: "kiosk-update-01", dataDir, extra: { ui: { port } } });
    writeFileSync(configFile, JSON.stringify({ ...raw, sync: { ...(raw.sync as object), enabled: false } }));
    const first = releases.make("9.0.0");
    const install = spawnSync(
      "node",
      ["bin/spectra-kiosk.js", "release", "install", first, "--root", root, "--key", releases.publicKey],
      { encoding: "utf8" },
    );
    expect(install.stdout).toContain("current → 9.0.0");
    expect(layout.current).toBe("9.0.0");
    await service.start();
    await until(async () => (await served(port))?.version === "9.0.0", "9.0.0 serving", 30_000, 100);
  });

  it("refuses a release the release key did not sign, and changes nothing", () => {
    const other = new TestReleases(join(work.path, "other-key"));
    const forged = other.make("9.0.9");
    const result = currentCli(
      "release",
      "apply",
      forged,
      "--root",
      root,
      "--key",
      releases.publicKey,
      "--config",
      configFile,
      "--service",
      "process",
    );
    expect(result.code).toBe(1);
    expect(result.err).toContain("[RELEASE_BAD_SIGNATURE]");
    expect(layout.current).toBe("9.0.0");
    expect(existsSync(join(root, "releases", "9.0.9"))).toBe(false);
  });

  it("updates to a healthy release: database backed up first, the new one kept", {
    timeout: 120_000,
  }, async () => {
    const before = schema();
    const next = releases.make("9.1.0");
    const result = currentCli(
      "release",
      "apply",
      next,
      "--root",
      root,
      "--key",
      releases.publicKey,
      "--config",
      configFile,
      "--service",
      "process",
      "--within",
      "40",
      "--steady",
      "2",
    );
    expect(result.err).toBe("");
    const outcome = JSON.parse(result.out.trim().split("\n").pop() ?? "{}");
    expect(outcome).toMatchObject({
      version: "9.1.0",
      from: "9.0.0",
      state: "updated",
      databaseRestored: false,
    });
    expect(result.code).toBe(0);
    expect(existsSync(outcome.backup)).toBe(true);
    expect(layout.current).toBe("9.1.0");
    expect(layout.previous).toBe("9.0.0");
    expect((await served(port))?.version).toBe("9.1.0");
    expect(schema()).toEqual(before);
    expect(JSON.parse(readFileSync(join(dataDir, "updates", "result.json"), "utf8")).state).toBe("updated");
  });

  it("rolls back a release that never reports healthy, and restores the database it migrated", {
    timeout: 120_000,
  }, async () => {
    const before = schema();
    const broken = releases.makeBroken("9.2.0");
    const result = currentCli(
      "release",
      "apply",
      broken,
      "--root",
      root,
      "--key",
      releases.publicKey,
      "--config",
      configFile,
      "--service",
      "process",
      "--within",
      "8",
      "--steady",
      "2",
    );
    const outcome = JSON.parse(result.out.trim().split("\n").pop() ?? "{}");
    expect(outcome).toMatchObject({
      version: "9.2.0",
      from: "9.1.0",
      state: "rolled-back",
      databaseRestored: true,
    });
    expect(outcome.reason).toContain("[RELEASE_NOT_HEALTHY]");
    expect(result.code).toBe(1);
    expect(result.out).toContain("migrated it from schema");
    expect(layout.current).toBe("9.1.0");
    // The broken release's migration is gone: the database is the one backed up before the switch.
    expect(schema()).toEqual(before);
    await until(async () => (await served(port))?.version === "9.1.0", "9.1.0 serving again", 30_000, 100);
    const check = currentCli("db", "check", "--config", configFile);
    expect(check.code).toBe(0);
  });
});
