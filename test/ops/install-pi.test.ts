import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { tempDir } from "../helpers/store.js";

const SCRIPT = fileURLToPath(new URL("../../scripts/install-pi.sh", import.meta.url));
const staging = tempDir("spectra-install-");
afterAll(() => staging.remove());

const config = join(staging.path, "kiosk.json");
writeFileSync(config, JSON.stringify({ configVersion: 1, deviceId: "kiosk-test-01" }));

function install(...args: string[]) {
  const result = spawnSync("bash", [SCRIPT, ...args], { encoding: "utf8" });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

describe("scripts/install-pi.sh", () => {
  const root = join(staging.path, "root");

  it("--dry-run says what it would do and changes nothing", () => {
    const result = install("--dry-run", "--root", root, "--config", config, "--no-npm");
    expect(result.code).toBe(0);
    expect(result.out).toContain(`would: copy the app to ${root}/opt/spectra-kiosk`);
    expect(result.out).toContain(`would: install ${root}/etc/systemd/system/spectra-kiosk.service`);
    expect(result.out).toContain(`would: install ${root}/etc/udev/rules.d/99-spectra-kiosk.rules`);
    expect(result.out).toContain(`would: install ${root}/etc/spectra-kiosk/kiosk.json`);
    expect(result.out).toMatch(/dry run: \d+ change\(s\) would be made/);
    expect(existsSync(root)).toBe(false);
  });

  it("--dry-run on the real system plans the user, groups and units without touching them", () => {
    const result = install("--dry-run", "--config", config, "--no-npm");
    expect(result.code).toBe(0);
    const hasUser = spawnSync("id", ["spectra-kiosk"]).status === 0;
    if (!hasUser) expect(result.out).toContain("would: create user spectra-kiosk");
    expect(result.out).toMatch(/(would: enable|ok:) spectra-kiosk\.service/);
    expect(spawnSync("id", ["spectra-kiosk"]).status === 0).toBe(hasUser);
  });

  it("installs into a tree, then finds nothing to do the second time", () => {
    const first = install("--root", root, "--config", config, "--no-npm", "--reader-usb", "067b:2303");
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/installed: \d+ change\(s\) made/);
    expect(existsSync(join(root, "opt/spectra-kiosk/dist/app/main.js"))).toBe(true);
    expect(readFileSync(join(root, "etc/udev/rules.d/99-spectra-kiosk.rules"), "utf8")).toContain(
      'ATTRS{idVendor}=="067b", ATTRS{idProduct}=="2303", SYMLINK+="spectra-reader"',
    );
    expect(readFileSync(join(root, "etc/systemd/system/spectra-kiosk.service"), "utf8")).toContain(
      "Type=notify",
    );

    const second = install("--root", root, "--config", config, "--no-npm", "--reader-usb", "067b:2303");
    expect(second.code).toBe(0);
    expect(second.out).toContain("nothing to do: Spectra Kiosk is installed");
    expect(second.out.split("\n").filter((line) => line.startsWith("do: "))).toEqual([]);
  });

  it("keeps an installed configuration unless told to replace it", () => {
    const other = join(staging.path, "other.json");
    writeFileSync(other, JSON.stringify({ configVersion: 1, deviceId: "kiosk-other" }));
    expect(install("--root", root, "--config", other, "--no-npm").out).toContain("kept:");
    expect(readFileSync(join(root, "etc/spectra-kiosk/kiosk.json"), "utf8")).toContain("kiosk-test-01");
    install("--root", root, "--config", other, "--no-npm", "--replace-config");
    expect(readFileSync(join(root, "etc/spectra-kiosk/kiosk.json"), "utf8")).toContain("kiosk-other");
  });

  it("refuses bad options with exit 2", () => {
    expect(install("--frobnicate").code).toBe(2);
    expect(install("--dry-run", "--reader-usb", "nope").code).toBe(2);
    expect(install("--dry-run", "--config", "/nonexistent.json").code).toBe(2);
  });
});
