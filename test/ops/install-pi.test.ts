import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { TestReleases } from "../helpers/releases.js";
import { tempDir } from "../helpers/store.js";

const SCRIPT = fileURLToPath(new URL("../../scripts/install-pi.sh", import.meta.url));
const staging = tempDir("spectra-install-");
afterAll(() => staging.remove());

const config = join(staging.path, "kiosk.json");
writeFileSync(config, JSON.stringify({ configVersion: 1, deviceId: "kiosk-test-01" }));
const releases = new TestReleases(join(staging.path, "releases"));
const release = releases.make("9.3.0");

function install(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync("bash", [SCRIPT, ...args], { encoding: "utf8", env: { ...process.env, ...env } });
  return { code: result.status, out: result.stdout, err: result.stderr };
}
const withRelease = ["--release", release, "--release-key", releases.publicKey, "--config", config];

describe("scripts/install-pi.sh", () => {
  const root = join(staging.path, "root");

  it("--dry-run says what it would do and changes nothing", () => {
    const result = install(["--dry-run", "--root", root, ...withRelease]);
    expect(result.err).toBe("");
    expect(result.code).toBe(0);
    expect(result.out).toContain("ok: release 9.3.0: signed by the release key, checksum matches");
    expect(result.out).toContain(`would: unpack release 9.3.0 into ${root}/opt/spectra-kiosk/releases/9.3.0`);
    expect(result.out).toContain(`would: link ${root}/opt/spectra-kiosk/current → releases/9.3.0`);
    for (const unit of [
      "spectra-kiosk.service",
      "spectra-screen.service",
      "spectra-kiosk-update.path",
      "spectra-kiosk-update.service",
    ])
      expect(result.out).toContain(`would: install ${root}/etc/systemd/system/${unit}`);
    expect(result.out).toContain(
      `would: install ${root}/etc/systemd/system/systemd-time-wait-sync.service.d/spectra-kiosk.conf`,
    );
    expect(result.out).toContain(`would: install ${root}/etc/spectra-kiosk/kiosk.json`);
    expect(result.out).toMatch(/dry run: \d+ change\(s\) would be made/);
    expect(existsSync(root)).toBe(false);
  });

  describe("Node.js: Debian's when new enough, NodeSource's otherwise, never Debian's npm", () => {
    const plan = (installed: string, candidate: string) =>
      install(["--dry-run", "--no-screen", ...withRelease], {
        SPECTRA_INSTALL_NODE_VERSION: installed,
        SPECTRA_INSTALL_APT_NODEJS: candidate,
      });

    it("keeps an installed Node.js 20.19+ or 22+", () => {
      expect(plan("v20.19.2", "20.19.2+dfsg-1").out).toContain("ok: Node.js v20.19.2");
      expect(plan("v22.12.0", "18.19.0+dfsg-6~deb12u2").out).toContain("ok: Node.js v22.12.0");
    });

    it("Trixie: Debian's nodejs 20.19", () => {
      const result = plan("", "20.19.2+dfsg-1");
      expect(result.out).toContain("would: apt-get install nodejs (Debian's 20.19.2; installed: none)");
      expect(result.out).not.toContain("NodeSource");
    });

    it("Bookworm: Debian offers 18, so NodeSource's Node.js 22, and no npm package beside it", () => {
      const result = plan("v18.19.0", "18.19.0+dfsg-6~deb12u2");
      expect(result.code).toBe(0);
      expect(result.out).toContain(
        "would: add NodeSource's repository for Node.js 22 (Debian offers nodejs 18.19.0, below 20.19)",
      );
      expect(result.out).toContain("would: apt-get install nodejs from NodeSource");
      expect(result.out).not.toMatch(/apt-get install[^\n(]*\bnpm\b/);
    });
  });

  it("--dry-run on the real system plans the user, its groups and the units to enable", () => {
    const result = install(["--dry-run", ...withRelease], { SPECTRA_INSTALL_NODE_VERSION: "v20.19.2" });
    expect(result.code).toBe(0);
    const hasUser = spawnSync("id", ["spectra-kiosk"]).status === 0;
    if (!hasUser) expect(result.out).toContain("would: create user spectra-kiosk");
    for (const group of ["dialout", "gpio"])
      expect(result.out).toMatch(new RegExp(`(would: add spectra-kiosk to|ok: spectra-kiosk in) ${group}`));
    for (const unit of [
      "spectra-kiosk.service",
      "spectra-screen.service",
      "spectra-kiosk-update.path",
      "systemd-time-wait-sync.service",
    ])
      expect(result.out).toMatch(new RegExp(`(would: enable|ok:) ${unit.replace(".", "\\.")}`));
    expect(spawnSync("id", ["spectra-kiosk"]).status === 0).toBe(hasUser);
  });

  it("installs a release into a tree, then finds nothing to do the second time", () => {
    const first = install(["--root", root, ...withRelease, "--reader-usb", "067b:2303"]);
    expect(first.err).toBe("");
    expect(first.out).toMatch(/installed: \d+ change\(s\) made/);
    const app = join(root, "opt/spectra-kiosk");
    expect(readlinkSync(join(app, "current"))).toBe("releases/9.3.0");
    expect(existsSync(join(app, "releases/9.3.0/dist/kiosk/spectra-kiosk.js"))).toBe(true);
    expect(readFileSync(join(root, "etc/spectra-kiosk/release-key.pub"), "utf8")).toBe(
      readFileSync(releases.publicKey, "utf8"),
    );
    const rules = readFileSync(join(root, "etc/udev/rules.d/99-spectra-kiosk.rules"), "utf8");
    expect(rules).toContain('ATTRS{idVendor}=="067b", ATTRS{idProduct}=="2303", SYMLINK+="spectra-reader"');
    expect(rules).toContain('KERNEL=="gpiochip*", GROUP="gpio"');
    expect(readFileSync(join(root, "etc/systemd/system/spectra-kiosk.service"), "utf8")).toContain(
      "/opt/spectra-kiosk/current/bin/spectra-kiosk.js start",
    );

    const second = install(["--root", root, ...withRelease, "--reader-usb", "067b:2303"]);
    expect(second.code).toBe(0);
    expect(second.out).toContain("nothing to do: Spectra Kiosk is installed");
    expect(second.out.split("\n").filter((line) => line.startsWith("do: "))).toEqual([]);
  });

  it("refuses a release the release key did not sign, and unpacks nothing", () => {
    const other = new TestReleases(join(staging.path, "other"));
    const forged = other.make("9.3.1");
    const result = install(["--root", root, "--release", forged, "--config", config]);
    expect(result.code).toBe(1);
    expect(result.err).toContain("[RELEASE_BAD_SIGNATURE]");
    expect(existsSync(join(root, "opt/spectra-kiosk/releases/9.3.1"))).toBe(false);
    // Nor may a second key replace the installed one.
    expect(install(["--root", root, "--release", forged, "--release-key", other.publicKey]).code).toBe(2);
  });

  it("keeps an installed configuration unless told to replace it", () => {
    const other = join(staging.path, "other.json");
    writeFileSync(other, JSON.stringify({ configVersion: 1, deviceId: "kiosk-other" }));
    expect(install(["--root", root, "--config", other]).out).toContain("kept:");
    expect(readFileSync(join(root, "etc/spectra-kiosk/kiosk.json"), "utf8")).toContain("kiosk-test-01");
    install(["--root", root, "--config", other, "--replace-config"]);
    expect(readFileSync(join(root, "etc/spectra-kiosk/kiosk.json"), "utf8")).toContain("kiosk-other");
  });

  it("refuses bad options with exit 2", () => {
    expect(install(["--frobnicate"]).code).toBe(2);
    expect(install(["--dry-run", "--reader-usb", "nope"]).code).toBe(2);
    expect(install(["--dry-run", "--config", "/nonexistent.json"]).code).toBe(2);
    expect(install(["--dry-run", "--release", config]).code).toBe(2);
  });
});
