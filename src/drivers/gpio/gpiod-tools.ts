import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";
import type { Level, PinBias } from "./pins.js";

/**
 * libgpiod's command-line tools (v2: Debian 13's and Raspberry Pi OS's gpiod package) run as child
 * processes. They need no native module in the kiosk, and they work under the unit's hardening:
 * the character device is a device node (DeviceAllow=char-gpiochip), not a write into /sys.
 * Debian builds gpioset without its interactive mode, so an output is held by one gpioset process
 * at one level (or toggling, `-t`) and a new level replaces that process.
 */
export interface ChipInfo {
  /** gpiochip0, … as the tools name it. */
  readonly name: string;
  readonly label: string;
  readonly lines: number;
}

/** What gpiodetect saw: the chips it could open, and what it said about those it could not. */
export interface ChipScan {
  readonly chips: readonly ChipInfo[];
  readonly problems: readonly string[];
}

export interface LineRequest {
  readonly chip: string;
  readonly offset: number;
  readonly activeLow: boolean;
}

const CONSUMER = "spectra-kiosk";
const CHIP_LINE = /^(\S+) \[(.*)\] \((\d+) lines\)$/;

function toolMissing(toolsDir: string, tool: string): KioskError {
  return new KioskError(
    ErrorCodes.GPIO_TOOLS_MISSING,
    `${join(toolsDir, tool)} is not there: install libgpiod's tools (apt install gpiod) or set drivers.gpio.toolsDir.`,
    { tool },
  );
}

/** Lists the GPIO chips with gpiodetect; one that cannot be opened comes back as a problem. */
export function scanChips(toolsDir: string): ChipScan {
  const result = spawnSync(join(toolsDir, "gpiodetect"), [], { encoding: "utf8", timeout: 10_000 });
  if (result.error) {
    if ((result.error as NodeJS.ErrnoException).code === "ENOENT") throw toolMissing(toolsDir, "gpiodetect");
    throw new KioskError(ErrorCodes.GPIO_UNAVAILABLE, `gpiodetect did not run: ${result.error.message}`);
  }
  const chips: ChipInfo[] = [];
  for (const line of result.stdout.split("\n")) {
    const match = CHIP_LINE.exec(line.trim());
    if (match?.[1] && match[2] !== undefined && match[3])
      chips.push({ name: match[1], label: match[2], lines: Number(match[3]) });
  }
  const problems = result.stderr
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  return { chips, problems };
}

/** The tools' own error line, as a coded error: no access and a busy line say what to do. */
function toolFailure(tool: string, request: LineRequest, stderr: string, exit: string): KioskError {
  const said = stderr.trim().split("\n").filter(Boolean).pop() ?? `exited (${exit}) without a word`;
  const context = { tool, chip: request.chip, line: request.offset };
  if (/permission denied/i.test(said)) {
    return new KioskError(
      ErrorCodes.GPIO_NO_ACCESS,
      `${said}: the kiosk's user needs the gpio group (install-pi.sh adds it) and the unit DeviceAllow=char-gpiochip.`,
      context,
    );
  }
  return new KioskError(ErrorCodes.GPIO_UNAVAILABLE, `${tool} on line ${request.offset}: ${said}`, context);
}

const lineArgs = (request: LineRequest): string[] => [
  "-c",
  request.chip,
  "-C",
  CONSUMER,
  ...(request.activeLow ? ["-l"] : []),
];

/** A tool process that holds a line until it is stopped; `ready` settles once the line is requested. */
export interface HeldLine {
  readonly ready: Promise<void>;
  /** Ends the process (the kernel releases the line) and waits for it to be gone. */
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Tool processes must not outlive the kiosk holding lines: kill them when this process exits. */
function track(child: ChildProcess): void {
  running.add(child);
  child.once("exit", () => running.delete(child));
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const process_ of running) process_.kill("SIGKILL");
  });
}

/**
 * Starts a tool with --banner and resolves once the banner line shows the line is requested;
 * rejects with the tool's own words when it exits first. Every later stdout line goes to `onLine`.
 */
function holdWithTool(
  toolsDir: string,
  tool: "gpioset" | "gpiomon",
  args: readonly string[],
  request: LineRequest,
  onLine: (line: string) => void = () => {},
): HeldLine {
  const child = spawn(join(toolsDir, tool), ["--banner", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  track(child);
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-2000);
  });
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("close", () => resolve());
  });
  const ready = new Promise<void>((resolve, reject) => {
    let bannerSeen = false;
    child.once("error", (error: NodeJS.ErrnoException) => {
      reject(
        error.code === "ENOENT"
          ? toolMissing(toolsDir, tool)
          : toolFailure(tool, request, error.message, "error"),
      );
    });
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on("line", (line) => {
      if (bannerSeen) onLine(line);
      else {
        bannerSeen = true;
        resolve();
      }
    });
    child.once("close", (code, signal) => {
      if (!bannerSeen) reject(toolFailure(tool, request, stderr, signal ?? String(code)));
    });
  });
  ready.catch(() => {});
  return {
    ready,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

/**
 * Holds an output line at `level` (logical: active-low is the tool's business), or, with periods,
 * toggles it after each period in turn and repeats (gpioset -t): a blinking light costs one process.
 */
export function holdOutput(
  toolsDir: string,
  request: LineRequest,
  level: Level,
  periodsMs: readonly number[] = [],
): HeldLine {
  const toggle = periodsMs.length > 0 ? ["-t", periodsMs.map((ms) => `${ms}ms`).join(",")] : [];
  return holdWithTool(
    toolsDir,
    "gpioset",
    [...lineArgs(request), ...toggle, `${request.offset}=${level}`],
    request,
  );
}

/** Reads an input line once with gpioget (it must not be held by a monitor at the time). */
export async function readInput(toolsDir: string, request: LineRequest, bias: PinBias): Promise<Level> {
  const biasArgs = bias === "as-is" ? [] : ["-b", bias];
  const child = spawn(
    join(toolsDir, "gpioget"),
    [...lineArgs(request), ...biasArgs, "--numeric", String(request.offset)],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  track(child);
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const code = await new Promise<number | string>((resolve, reject) => {
    child.once("error", (error: NodeJS.ErrnoException) =>
      reject(error.code === "ENOENT" ? toolMissing(toolsDir, "gpioget") : error),
    );
    child.once("close", (exit, signal) => resolve(signal ?? exit ?? -1));
  });
  const value = stdout.trim();
  if (code !== 0 || (value !== "0" && value !== "1")) {
    throw toolFailure("gpioget", request, stderr || `printed "${value.slice(0, 40)}"`, String(code));
  }
  return value === "1" ? 1 : 0;
}

/**
 * Watches an input line's edges with gpiomon (`-F %e`: 1 rising, 2 falling, in the logical sense
 * when active-low), calling back with the level each edge leaves the line at.
 */
export function monitorInput(
  toolsDir: string,
  request: LineRequest,
  bias: PinBias,
  onLevel: (level: Level) => void,
): HeldLine {
  const biasArgs = bias === "as-is" ? [] : ["-b", bias];
  return holdWithTool(
    toolsDir,
    "gpiomon",
    [...lineArgs(request), ...biasArgs, "-e", "both", "-F", "%e", String(request.offset)],
    request,
    (line) => {
      const edge = line.trim();
      if (edge === "1") onLevel(1);
      else if (edge === "2") onLevel(0);
    },
  );
}
