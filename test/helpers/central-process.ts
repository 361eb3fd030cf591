import { join } from "node:path";
import { type CliProcess, spawnCli } from "./cli-process.js";
import { postgresCentral, writeTestConfig } from "./kiosk-config.js";
import { until } from "./wait.js";

export interface CentralProcess extends CliProcess {
  /** Whether the process is still running. */
  alive(): boolean;
  /** Sends SIGTERM; resolves with how long the process took to exit, and its exit code. */
  terminate(): Promise<{ ms: number; code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * `spectra-kiosk central` as a child process (from dist/: build first), on `databaseUrl` and the
 * private broker at `brokerUrl`, with `central` settings merged over the test defaults.
 */
export function spawnCentral(
  dir: string,
  name: string,
  databaseUrl: string,
  brokerUrl: string,
  options: {
    ingest?: Record<string, unknown>;
    central?: Record<string, unknown>;
    env?: Record<string, string>;
  } = {},
): CentralProcess {
  const config = writeTestConfig(dir, name, {
    deviceId: "central-host",
    dataDir: join(dir, `${name}-data`),
    // Info: tests wait for lines such as "ingest subscribed".
    logLevel: "info",
    central: { ...postgresCentral(databaseUrl, brokerUrl, options.ingest ?? {}), ...options.central },
  });
  const cli = spawnCli(["central", "--config", config], options.env ?? {});
  const alive = (): boolean => cli.child.exitCode === null && cli.child.signalCode === null;
  return {
    ...cli,
    alive,
    terminate: async () => {
      const started = performance.now();
      if (!alive()) return { ms: 0, code: cli.child.exitCode, signal: cli.child.signalCode };
      const exited = new Promise<void>((resolve) => cli.child.once("exit", () => resolve()));
      cli.child.kill("SIGTERM");
      await exited;
      return { ms: performance.now() - started, code: cli.child.exitCode, signal: cli.child.signalCode };
    },
  };
}

/** Waits until central's output contains `text` (a log line), failing with the output so far. */
export async function untilLogged(
  central: CliProcess,
  text: string | RegExp,
  timeoutMs = 30_000,
): Promise<void> {
  const found = (): boolean =>
    typeof text === "string" ? central.output().includes(text) : text.test(central.output());
  await until(found, `central to log ${String(text)}`, timeoutMs).catch((error: Error) => {
    throw new Error(`${error.message}\n--- central's output ---\n${central.output().slice(-4000)}`);
  });
}
