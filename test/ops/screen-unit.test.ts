import { readFileSync } from "node:fs";
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
      "--disable-session-crashed-bubble",
      "--noerrdialogs",
      "--disable-translate",
      "--disable-sync",
    ]) {
      expect(execStart().split(" ")).toContain(flag);
    }
  });
});
