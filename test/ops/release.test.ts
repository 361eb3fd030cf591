import { spawnSync } from "node:child_process";
import { createHash, createPublicKey, verify } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { tempDir } from "../helpers/store.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const work = tempDir("spectra-release-");
afterAll(() => work.remove());

function run(command: string, args: string[], cwd = ROOT) {
  const result = spawnSync(command, args, { cwd, encoding: "utf8" });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

describe("npm run release (scripts/release.mjs)", () => {
  const key = join(work.path, "release.pem");
  const out = join(work.path, "out");
  let summary: { release: string; installedBytes: number; packages: string[] };

  it("makes a key pair, then a signed release for this machine's architecture", () => {
    expect(run("node", ["scripts/release.mjs", "keygen", key]).code).toBe(0);
    expect(run("node", ["scripts/release.mjs", "keygen", key]).code).toBe(1); // never overwrites a key
    const made = run("node", ["scripts/release.mjs", "--key", key, "--out", out, "--version", "9.8.7"]);
    expect(made.err).toBe("");
    expect(made.code).toBe(0);
    summary = JSON.parse(made.out.trim().split("\n").pop() ?? "{}");
    expect(summary.release).toBe(join(out, `spectra-kiosk-9.8.7-linux-${process.arch}.tar.gz`));
  });

  it("carries a checksum signed by the release key, which a tampered checksum fails", () => {
    const sums = readFileSync(`${summary.release}.sha256`);
    const signature = Buffer.from(readFileSync(`${summary.release}.sha256.sig`, "utf8").trim(), "base64");
    const publicKey = createPublicKey(readFileSync(`${key}.pub`));
    expect(verify(null, sums, publicKey, signature)).toBe(true);
    const tampered = sums.toString().replace(/^./, (first) => (first === "0" ? "1" : "0"));
    expect(verify(null, Buffer.from(tampered), publicKey, signature)).toBe(false);
    const digest = createHash("sha256").update(readFileSync(summary.release)).digest("hex");
    expect(sums.toString()).toBe(`${digest}  spectra-kiosk-9.8.7-linux-${process.arch}.tar.gz\n`);
  });

  it("holds the kiosk's run-time packages only: central's and the laptop's stay out", () => {
    const extracted = join(work.path, "x");
    expect(run("mkdir", ["-p", extracted]).code).toBe(0);
    expect(run("tar", ["-xzf", summary.release, "-C", extracted]).code).toBe(0);
    const release = join(extracted, `spectra-kiosk-9.8.7-linux-${process.arch}`);
    const modules = readdirSync(join(release, "node_modules"));
    for (const wanted of ["better-sqlite3", "onoff", "unix-dgram", "@serialport"])
      expect(modules).toContain(wanted);
    const { kiosk } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    for (const unwanted of [
      ...kiosk.centralOnly,
      ...kiosk.buildOnly,
      "mqtt",
      "zod",
      "pino",
      "typescript",
      "vitest",
    ]) {
      expect(existsSync(join(release, "node_modules", unwanted))).toBe(false);
    }
    expect(existsSync(join(release, "node_modules/better-sqlite3/deps"))).toBe(false); // no sources
    const manifest = JSON.parse(readFileSync(join(release, "package.json"), "utf8"));
    expect(manifest).toMatchObject({ version: "9.8.7", release: { platform: "linux", arch: process.arch } });
    expect(Object.keys(manifest.dependencies).sort()).toEqual([...kiosk.runtime].sort());
    expect(summary.installedBytes).toBeLessThan(30_000_000);
    // It runs on its own: the command line, its configuration check, and its database.
    const check = run("node", ["bin/spectra-kiosk.js", "config", "check"], release);
    expect(check.out).toContain("valid");
    expect(check.code).toBe(0);
    const sqlite = run(
      "node",
      ["-e", "console.log(new (require('better-sqlite3'))(':memory:').prepare('select 1 x').get().x)"],
      release,
    );
    expect(sqlite.out.trim()).toBe("1");
  });
});
