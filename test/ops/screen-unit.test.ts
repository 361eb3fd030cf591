import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG_PATH, parseConfig } from "../../src/config/load.js";

const UNIT = readFileSync(
  fileURLToPath(new URL("../../systemd/spectra-screen.service", import.meta.url)),
  "utf8",
);

/** The unit's ExecStart with its line continuations joined. */
const execStart = (): string =>
  /^ExecStart=((?:.*\\\n)*.*)$/m.exec(UNIT)?.[1]?.replace(/\\\n\s*/g, " ") ?? "";

/** Debian's (and Raspberry Pi OS's) Chromium binary, behind the /usr/bin/chromium wrapper script. */
const CHROMIUM_BINARY = "/usr/lib/chromium/chromium";

/** The unit's Chromium flags: switch names, the features they name, and V8's flags in --js-flags. */
function chromiumNames(): { switches: string[]; features: string[]; v8: string[] } {
  const flags =
    execStart()
      .split(" -- /usr/bin/chromium ")[1]
      ?.split(/\s+/)
      .filter((word) => word.startsWith("--")) ?? [];
  const value = (flag: string): string => flag.slice(flag.indexOf("=") + 1);
  return {
    switches: flags.map((flag) => flag.slice(2).split("=")[0] as string),
    features: flags
      .filter((flag) => /^--(enable|disable)-features=/.test(flag))
      .flatMap((flag) => value(flag).split(",")),
    v8: flags
      .filter((flag) => flag.startsWith("--js-flags="))
      .flatMap((flag) => value(flag).split(" "))
      .map((flag) => flag.slice(2).replace(/-/g, "_")),
  };
}

describe("systemd/spectra-screen.service", () => {
  it("starts Chromium in kiosk mode under cage on the kiosk's default URL", () => {
    const config = parseConfig(JSON.parse(readFileSync(DEFAULT_CONFIG_PATH, "utf8")), "default");
    expect(UNIT).toContain(`Environment=SPECTRA_SCREEN_URL=http://${config.ui.host}:${config.ui.port}/`);
    expect(execStart()).toMatch(/^\/usr\/bin\/cage .* -- \/usr\/bin\/chromium /);
    expect(execStart()).toMatch(/--kiosk --app=\$\{SPECTRA_SCREEN_URL\}/);
    expect(UNIT).toMatch(/^After=.*spectra-kiosk\.service/m);
  });

  it("keeps Chromium quiet offline", () => {
    for (const flag of [
      "--no-first-run",
      "--no-default-browser-check",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-breakpad",
      "--hide-crash-restore-bubble",
      "--noerrdialogs",
      "--disable-sync",
    ]) {
      expect(execStart().split(" ")).toContain(flag);
    }
  });

  // The screen shows a processor's card form: its renderers stay sandboxed. The GPU's work runs in
  // the browser process, and only then is the zygote that forked nothing but the GPU process left out
  // (either flag alone saves no memory: npm run bench -- ui --pi-class).
  it("keeps the renderers' sandbox and runs one process family fewer", () => {
    const flags = execStart().split(/\s+/);
    for (const flag of ["--no-sandbox", "--no-zygote", "--single-process", "--disable-setuid-sandbox"]) {
      expect(flags).not.toContain(flag);
    }
    expect(flags).toContain("--in-process-gpu");
    expect(flags).toContain("--no-unsandboxed-zygote");
    expect(chromiumNames().features).toEqual(expect.arrayContaining(["LogOnDeviceMetricsOnStartup"]));
  });

  // A flag Chromium no longer knows does nothing, silently (--disable-translate, --disable-crash-reporter
  // and --disable-session-crashed-bubble were such). Switch, feature and V8 flag names are strings in
  // the binary, each ending in a NUL (possibly as the tail of a longer one: a weak check, never a false
  // alarm).
  it.runIf(existsSync(CHROMIUM_BINARY))(
    "names only switches, features and V8 flags the installed Chromium knows",
    () => {
      const binary = readFileSync(CHROMIUM_BINARY);
      const unknown = (names: readonly string[]): string[] =>
        names.filter((name) => binary.indexOf(Buffer.from(`${name}\0`)) < 0);
      const names = chromiumNames();
      expect(names.switches).toContain("renderer-process-limit");
      expect(names.features).toContain("PreloadTopChromeWebUI");
      expect(names.v8).toEqual(["expose_gc"]);
      expect(unknown(names.switches)).toEqual([]);
      expect(unknown(names.features)).toEqual([]);
      expect(unknown(names.v8)).toEqual([]);
      // The check can fail: names this Chromium does not have are reported.
      expect(unknown(["disable-translate", "TranslateUI"])).toEqual(["disable-translate", "TranslateUI"]);
    },
  );
});
