import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { executableSharedBytes } from "./kiosk-memory.js";

/**
 * The whole screen's memory, process by process, as proportional set size (PSS: each shared page
 * split among the processes that map it).
 *
 * Chromium's processes are found by a mark in their environment (SCREEN_MARK, set when the bench
 * starts Chromium): the browser process and its crash handlers keep it (the handlers are re-parented
 * to init, out of the browser's tree), and every other process of that Chromium descends from the
 * browser (they overwrite their environment with their process title). PSS splits Chromium's 300 MB
 * binary among every process on the machine that maps it, so another Chromium running at the same
 * time (other tests on a shared machine) makes ours look smaller: `sampleScreenAlone` waits until
 * ours are the only ones.
 */
export const SCREEN_MARK = "SPECTRA_BENCH_SCREEN";

export interface ProcessMemory {
  readonly pid: number;
  /** browser, renderer, gpu-process, zygote, utility:<service>, crashpad-handler, kiosk. */
  readonly kind: string;
  readonly pssBytes: number;
  /** Of the PSS, file-backed pages (Chromium's and Node's code, fonts): clean, reclaimable. */
  readonly pssFileBytes: number;
}

export interface ScreenMemory {
  /** As on the kiosk, where it is the only Node process (bench/lib/kiosk-memory.ts). */
  readonly kiosk: ProcessMemory & { readonly executableSharedBytes: number };
  readonly chromium: readonly ProcessMemory[];
  readonly totalBytes: number;
  /** Chromium processes on the machine that are not this screen's, when the sample was taken. */
  readonly otherChromium: number;
}

/** Proportional set size of one process, and its file-backed part, from smaps_rollup (0 once gone). */
export function pss(pid: number): { pssBytes: number; pssFileBytes: number } {
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
    const kb = (field: string): number =>
      1024 * Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(rollup)?.[1] ?? 0);
    return { pssBytes: kb("Pss"), pssFileBytes: kb("Pss_File") };
  } catch {
    return { pssBytes: 0, pssFileBytes: 0 };
  }
}

interface ChromiumProcess {
  readonly pid: number;
  readonly parent: number;
  readonly environ: string;
  readonly cmdline: string[];
}

function chromiumOnMachine(): ChromiumProcess[] {
  const found: ChromiumProcess[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!/chrom/.test(readlinkSync(`/proc/${entry}/exe`))) continue;
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      found.push({
        pid: Number(entry),
        parent: Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]),
        environ: `\0${readFileSync(`/proc/${entry}/environ`, "utf8")}`,
        // Chromium rewrites its command line with spaces between the arguments.
        cmdline: readFileSync(`/proc/${entry}/cmdline`, "utf8").split(/[\0 ]/),
      });
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return found;
}

/** The processes carrying the mark, and everything they started. */
function marked(processes: readonly ChromiumProcess[], mark: string): Set<number> {
  const ours = new Set(
    processes.filter((process) => process.environ.includes(`\0${SCREEN_MARK}=${mark}\0`)).map((p) => p.pid),
  );
  for (let grown = true; grown; ) {
    grown = false;
    for (const process of processes) {
      if (ours.has(process.parent) && !ours.has(process.pid)) {
        ours.add(process.pid);
        grown = true;
      }
    }
  }
  return ours;
}

function kindOf(cmdline: readonly string[]): string {
  if (/crashpad_handler$/.test(cmdline[0] ?? "")) return "crashpad-handler";
  const type = cmdline.find((arg) => arg.startsWith("--type="))?.slice("--type=".length);
  if (!type) return "browser";
  const service = cmdline
    .find((arg) => arg.startsWith("--utility-sub-type="))
    ?.split(".")
    .at(-1);
  return service ? `${type}:${service}` : type;
}

/** The kiosk's PSS with Node's executable counted in full, as on the kiosk (bench/lib/kiosk-memory.ts). */
function kioskMemory(pid: number): { pssBytes: number; pssFileBytes: number; executableSharedBytes: number } {
  if (pid <= 0) return { pssBytes: 0, pssFileBytes: 0, executableSharedBytes: 0 };
  const shared = executableSharedBytes(pid);
  const own = pss(pid);
  return {
    pssBytes: own.pssBytes + shared,
    pssFileBytes: own.pssFileBytes + shared,
    executableSharedBytes: shared,
  };
}

/** The kiosk process and every Chromium process carrying `mark` (SCREEN_MARK's value), now. */
export function sampleScreen(kioskPid: number, mark: string): ScreenMemory {
  const processes = chromiumOnMachine();
  const ours = marked(processes, mark);
  const chromium = processes
    .filter((process) => ours.has(process.pid))
    .map((process) => ({ pid: process.pid, kind: kindOf(process.cmdline), ...pss(process.pid) }));
  const kiosk = {
    pid: kioskPid,
    kind: "kiosk",
    ...kioskMemory(kioskPid),
  };
  const totalBytes = chromium.reduce((total, entry) => total + entry.pssBytes, kiosk.pssBytes);
  return { kiosk, chromium, totalBytes, otherChromium: processes.length - chromium.length };
}

/** Samples once no other Chromium runs on the machine, or after `patienceMs` anyway (it says so). */
export async function sampleScreenAlone(
  kioskPid: number,
  mark: string,
  patienceMs = 120_000,
): Promise<ScreenMemory> {
  const deadline = Date.now() + patienceMs;
  for (;;) {
    const sample = sampleScreen(kioskPid, mark);
    if (sample.otherChromium === 0 || Date.now() > deadline) return sample;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** "12.3 MB renderer, …", largest first: where the memory is. */
export function describeScreen(sample: ScreenMemory): string {
  const mb = (bytes: number): string => (bytes / (1024 * 1024)).toFixed(1);
  const byKind = new Map<string, number>();
  const entries = sample.kiosk.pid > 0 ? [sample.kiosk, ...sample.chromium] : sample.chromium;
  for (const entry of entries) byKind.set(entry.kind, (byKind.get(entry.kind) ?? 0) + entry.pssBytes);
  const parts = [...byKind]
    .sort((a, b) => b[1] - a[1])
    .map(([kind, bytes]) => {
      const count = entries.filter((entry) => entry.kind === kind).length;
      return `${kind}${count > 1 ? ` ×${count}` : ""} ${mb(bytes)}`;
    });
  const file = entries.reduce((total, entry) => total + entry.pssFileBytes, 0);
  parts.push(`of it ${mb(file)} file-backed (code, fonts: clean, reclaimable)`);
  if (sample.kiosk.executableSharedBytes > 0)
    parts.push(
      `the kiosk's with ${mb(sample.kiosk.executableSharedBytes)} of Node's executable that PSS gave other Node processes here`,
    );
  const others = sample.otherChromium > 0 ? ` — ${sample.otherChromium} other Chromium processes ran` : "";
  return `${parts.join(", ")}${others}`;
}
