import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export interface CliProcess {
  readonly child: ChildProcess;
  output(): string;
  /** Sends `signal` and waits for the process to exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** `node bin/spectra-kiosk.js ARGS` from the compiled dist/ (npm test builds first). */
export function spawnCli(
  args: readonly string[],
  env: Record<string, string> = {},
  nodeArgs: readonly string[] = [],
): CliProcess {
  const child = spawn(process.execPath, [...nodeArgs, "bin/spectra-kiosk.js", ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const reap = (): void => {
    child.kill("SIGKILL");
  };
  process.once("exit", reap);
  child.once("exit", () => process.off("exit", reap));
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  return {
    child,
    output: () => output,
    kill: async (signal = "SIGTERM") => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill(signal);
      await exited;
    },
  };
}

/** Runs a CLI command to completion; resolves with its exit code and output. */
export function runCli(args: readonly string[]): Promise<{ code: number | null; output: string }> {
  const process = spawnCli(args);
  return new Promise((resolve) => {
    process.child.once("exit", (code) => resolve({ code, output: process.output() }));
  });
}
