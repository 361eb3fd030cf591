import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { packagePath } from "../../src/core/package-root.js";
import { CHROMIUM } from "../../test/helpers/dashboard-browser.js";
import { SCREEN_MARK } from "./screen-memory.js";

/**
 * A Raspberry Pi 4's share of this machine, for `npm run bench -- ui --pi-class`.
 *
 * The kiosk process runs in a cgroup (v1 `cpu` controller) with a CFS quota of 30 % of one core over
 * a 10 ms period: a Pi 4's Cortex-A72 at 1.5 GHz runs single-threaded JavaScript at roughly a third
 * of a current x86 server core (an assumption, not measured here: there is no Pi on this machine),
 * and the short period makes the limit felt within one tap rather than averaged over 100 ms. The
 * quota caps all of the kiosk's threads together, which is stricter than a Pi's four cores.
 * Chromium is slowed 4× with DevTools' CPU throttling (Emulation.setCPUThrottlingRate).
 */
export const PI_CLASS = { quotaUs: 3000, periodUs: 10_000, chromiumSlowdown: 4 } as const;

const CPU_CGROUP = "/sys/fs/cgroup/cpu";

export interface CpuLimit {
  readonly path: string;
  /** Moves a process (all its threads) into the limit; its children are born in it. */
  add(pid: number): void;
  /** `sh -c` prefix that puts itself in the limit and then execs the command. */
  wrap(command: readonly string[]): string[];
  remove(): void;
}

/** A cgroup v1 cpu group with the Pi-class quota; throws when the controller is not writable. */
export function piCpuLimit(name = `spectra-bench-pi-${process.pid}`): CpuLimit {
  if (!existsSync(join(CPU_CGROUP, "cpu.cfs_quota_us"))) {
    throw new Error(`--pi-class needs cgroup v1's cpu controller at ${CPU_CGROUP} (writable, as root)`);
  }
  const path = join(CPU_CGROUP, name);
  mkdirSync(path, { recursive: true });
  writeFileSync(join(path, "cpu.cfs_period_us"), String(PI_CLASS.periodUs));
  writeFileSync(join(path, "cpu.cfs_quota_us"), String(PI_CLASS.quotaUs));
  const procs = join(path, "cgroup.procs");
  return {
    path,
    add: (pid) => writeFileSync(procs, String(pid)),
    wrap: (command) => ["sh", "-c", `echo $$ > ${procs} && exec "$@"`, "sh", ...command],
    remove: () => {
      // Whatever is left goes back to the root group, then the group can go.
      const left = readFileSync(procs, "utf8").split("\n").filter(Boolean);
      for (const pid of left) {
        try {
          writeFileSync(join(CPU_CGROUP, "cgroup.procs"), pid);
        } catch {
          // Gone meanwhile.
        }
      }
      rmdirSync(path);
    },
  };
}

/** How many times the limit throttled its processes, and for how long (cpu.stat). */
export function throttled(limit: CpuLimit): {
  periods: number;
  throttledPeriods: number;
  throttledMs: number;
} {
  const stat = Object.fromEntries(
    readFileSync(join(limit.path, "cpu.stat"), "utf8")
      .trim()
      .split("\n")
      .map((line) => line.split(" ") as [string, string]),
  );
  return {
    periods: Number(stat.nr_periods ?? 0),
    throttledPeriods: Number(stat.nr_throttled ?? 0),
    throttledMs: Number(stat.throttled_time ?? 0) / 1e6,
  };
}

/** Slows the page's renderer as DevTools does (rate 4: four times slower). */
export async function throttleChromium(page: Page, rate: number = PI_CLASS.chromiumSlowdown): Promise<void> {
  const session = await page.context().newCDPSession(page);
  await session.send("Emulation.setCPUThrottlingRate", { rate });
}

/**
 * Chromium's flags from systemd/spectra-screen.service, as the bench can use them headless: the
 * screen's flags for one page, without those that only make sense on the kiosk's display (kiosk
 * and app mode, Wayland, its profile directory), plus what running here as root needs.
 */
export function screenUnitChromiumArgs(): string[] {
  const unit = readFileSync(packagePath("systemd", "spectra-screen.service"), "utf8");
  const execStart = /^ExecStart=((?:.*\\\n)*.*)$/m.exec(unit)?.[1]?.replace(/\\\n\s*/g, " ") ?? "";
  const flags = execStart.split(/\s+/).filter((word) => word.startsWith("--"));
  const displayOnly = /^--(kiosk|app=|ozone-platform|user-data-dir|incognito)/;
  // Root in a container: no sandbox. No GPU here (the Pi composites with its GPU under cage).
  return [...flags.filter((flag) => !displayOnly.test(flag)), "--no-sandbox", "--disable-gpu"];
}

/**
 * Chromium started by the bench itself with exactly the screen unit's flags (playwright's launch
 * would add its own, among them a --disable-features that replaces the unit's), headless at the
 * screen's size, and driven over the DevTools protocol. Its processes carry SCREEN_MARK=`dir` in
 * their environment, for `sampleScreen`. `flags` replaces the unit's (npm run bench -- screen-flags).
 */
export async function launchScreenChromium(
  dir: string,
  viewport: { width: number; height: number },
  flags: readonly string[] = screenUnitChromiumArgs(),
): Promise<{ context: BrowserContext; page: Page; close: () => Promise<void> }> {
  const child = spawn(
    CHROMIUM,
    [
      ...flags,
      "--headless",
      `--user-data-dir=${join(dir, "pi-chromium-profile")}`,
      `--window-size=${viewport.width},${viewport.height}`,
      "--remote-debugging-port=0",
      "about:blank",
    ],
    { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, [SCREEN_MARK]: dir } },
  );
  const endpoint = await new Promise<string>((resolve, reject) => {
    let said = "";
    const timer = setTimeout(() => reject(new Error(`Chromium did not start: ${said.slice(-500)}`)), 30_000);
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
      said += chunk;
      const match = /DevTools listening on (ws:\/\/\S+)/.exec(said);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once("exit", (code) => reject(new Error(`Chromium exited (${code}): ${said.slice(-500)}`)));
  });
  const browser = await chromium.connectOverCDP(endpoint);
  const context = browser.contexts()[0] ?? (await browser.newContext());
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await browser.close().catch(() => {});
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
    },
  };
}
