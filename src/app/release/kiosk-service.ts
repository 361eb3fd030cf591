import { execFile, spawn } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";

const run = promisify(execFile);

/** The kiosk as an updater sees it: stop it, start it, and whether it is up (and as which instance). */
export interface KioskService {
  stop(): Promise<void>;
  start(): Promise<void>;
  /** up: started and not failed (systemd: READY was sent); instance changes when it restarts. */
  state(): Promise<{ readonly up: boolean; readonly instance: string | null }>;
}

/** The kiosk's systemd unit: active only once the kiosk sent READY=1 (Type=notify). */
export function systemdService(unit = "spectra-kiosk.service"): KioskService {
  return {
    stop: async () => {
      await run("systemctl", ["stop", unit]);
    },
    start: async () => {
      // --no-block: a kiosk that never says READY must not hold the updater past its deadline.
      await run("systemctl", ["start", "--no-block", unit]);
    },
    state: async () => {
      const { stdout } = await run("systemctl", ["show", unit, "-p", "ActiveState,MainPID,NRestarts"]);
      const fields = Object.fromEntries(
        stdout
          .trim()
          .split("\n")
          .map((line) => line.split("=", 2) as [string, string]),
      );
      return {
        up: fields.ActiveState === "active",
        instance:
          fields.MainPID && fields.MainPID !== "0" ? `${fields.MainPID}/${fields.NRestarts ?? 0}` : null,
      };
    },
  };
}

/** A live process; a zombie (exited, not yet reaped by whoever started it) counts as gone. */
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return true;
  }
};

/**
 * The kiosk as a plain process, for machines without systemd as PID 1 (the arm64 check's chroot,
 * tests): started from `<root>/current` with the unit's Node flags, its pid in `stateDir/kiosk.pid`.
 */
export function processService(options: {
  readonly root: string;
  readonly config: string;
  readonly stateDir: string;
  readonly env?: NodeJS.ProcessEnv;
}): KioskService {
  const pidFile = join(options.stateDir, "kiosk.pid");
  const pid = (): number | null => {
    if (!existsSync(pidFile)) return null;
    const value = Number(readFileSync(pidFile, "utf8").trim());
    return Number.isInteger(value) && value > 0 && alive(value) ? value : null;
  };
  return {
    stop: async () => {
      const running = pid();
      if (running === null) return;
      process.kill(running, "SIGTERM");
      for (let waited = 0; alive(running) && waited < 30_000; waited += 50) await sleep(50);
      if (alive(running)) process.kill(running, "SIGKILL");
      rmSync(pidFile, { force: true });
    },
    start: async () => {
      mkdirSync(options.stateDir, { recursive: true });
      const log = openSync(join(options.stateDir, "kiosk.log"), "a");
      const child = spawn(
        process.execPath,
        [
          "--lite-mode",
          "--no-expose-wasm",
          "--max-semi-space-size=1",
          join(options.root, "current", "bin", "spectra-kiosk.js"),
          "start",
          "--config",
          options.config,
        ],
        {
          cwd: join(options.root, "current"),
          detached: true,
          stdio: ["ignore", log, log],
          env: options.env ?? process.env,
        },
      );
      closeSync(log);
      child.unref();
      writeFileSync(pidFile, String(child.pid));
    },
    state: async () => {
      const running = pid();
      return { up: running !== null, instance: running === null ? null : String(running) };
    },
  };
}
