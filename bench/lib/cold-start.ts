import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { nowMs } from "./stats.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  await exited;
}

/**
 * Spawns `node args` and measures until GET `url` answers 200; then stops the process. `wrap` puts a
 * prefix before the command (the Pi-class CPU limit's `sh -c`, which then execs node).
 */
export async function timeToServe(
  args: readonly string[],
  url: string,
  timeoutMs = 15_000,
  wrap: (command: readonly string[]) => string[] = (command) => [...command],
): Promise<number> {
  const started = nowMs();
  const [command = process.execPath, ...rest] = wrap([process.execPath, ...args]);
  const child = spawn(command, rest, { cwd: ROOT, stdio: "ignore" });
  try {
    for (;;) {
      try {
        const response = await fetch(url);
        await response.arrayBuffer();
        if (response.ok) return nowMs() - started;
      } catch {
        // Not listening yet.
      }
      if (child.exitCode !== null) throw new Error(`node ${args.join(" ")} exited with ${child.exitCode}`);
      if (nowMs() - started > timeoutMs) throw new Error(`nothing served at ${url} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  } finally {
    await stopChild(child);
  }
}
