/**
 * `npm run bench -- screen-flags [VARIANT ...]`: Chromium's memory showing the bare page (no kiosk),
 * with the screen unit's flags and with each variant of them, one after the other — the figures
 * behind every flag of systemd/spectra-screen.service (docs/operations.md, "The screen's memory").
 *
 * A variant is one argument of space-separated changes to the unit's flags as the bench uses them
 * (bench/lib/pi-class.ts): `--flag` adds a flag, `no:--flag` removes every flag that starts with it,
 * `disable:Feature` adds a feature to the unit's --disable-features and `keep:Feature` takes one out.
 * E.g. `npm run bench -- screen-flags no:--in-process-gpu "no:--in-process-gpu --no-zygote"` (two
 * variants). Each sample is the proportional set size of every process of that Chromium, headless
 * at 800×480, after the page has rested 8 s, taken while no other Chromium runs on the machine
 * (bench/lib/screen-memory.ts).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startBareScreen } from "./lib/bare-screen.js";
import { launchScreenChromium, screenUnitChromiumArgs } from "./lib/pi-class.js";
import type { Bench } from "./lib/result.js";
import { describeScreen, sampleScreenAlone } from "./lib/screen-memory.js";

const MB = 1024 * 1024;
const REST_MS = 8000;

/** The unit's flags with one variant's changes applied. */
export function variantFlags(unit: readonly string[], variant: string): string[] {
  let flags = [...unit];
  const features = (change: (names: string[]) => string[]): void => {
    flags = flags.map((flag) =>
      flag.startsWith("--disable-features=")
        ? `--disable-features=${change(flag.slice("--disable-features=".length).split(",")).join(",")}`
        : flag,
    );
  };
  for (const change of variant.split(/\s+/).filter(Boolean)) {
    const [verb, value = ""] = change.includes(":")
      ? [change.slice(0, change.indexOf(":")), change.slice(change.indexOf(":") + 1)]
      : ["add", change];
    if (verb === "add" && value.startsWith("--")) flags.push(value);
    else if (verb === "no") flags = flags.filter((flag) => !flag.startsWith(value));
    else if (verb === "disable") features((names) => [...names.filter((name) => name !== value), value]);
    else if (verb === "keep") features((names) => names.filter((name) => name !== value));
    else throw new Error(`a change is --flag, no:--flag, disable:Feature or keep:Feature, not ${change}`);
  }
  return flags;
}

async function barePagePss(flags: readonly string[]): Promise<{ bytes: number; described: string }> {
  const bare = await startBareScreen();
  const dir = mkdtempSync(join(tmpdir(), "spectra-bench-flags-"));
  const browser = await launchScreenChromium(dir, { width: 800, height: 480 }, flags);
  try {
    await browser.page.goto(bare.url);
    await browser.page.waitForFunction("document.readyState === 'complete'");
    await new Promise((resolve) => setTimeout(resolve, REST_MS));
    const sample = await sampleScreenAlone(0, dir);
    return { bytes: sample.totalBytes, described: describeScreen(sample) };
  } finally {
    await browser.close();
    await bare.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const bench: Bench = async (args) => {
  const unit = screenUnitChromiumArgs();
  const variants = ["", ...args];
  let unitBytes = 0;
  for (const variant of variants) {
    const { bytes, described } = await barePagePss(variantFlags(unit, variant));
    if (variant === "") unitBytes = bytes;
    process.stdout.write(`${variant || "the unit's flags"}: ${(bytes / MB).toFixed(1)} MB (${described})\n`);
  }
  return {
    bench: "screen-flags",
    metric: "bare_page_chromium_pss",
    value: Math.round((10 * unitBytes) / MB) / 10,
    unit: "MB",
    target: "the floor under the ui bench's screen PSS (<= 300 MB with the kiosk)",
    pass: true,
  };
};

export default bench;
