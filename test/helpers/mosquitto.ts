import { type ChildProcess, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { connect } from "node:net";
import { userInfo } from "node:os";
import { join } from "node:path";
import { scratchDir } from "./kiosk-store.js";
import { freePort } from "./ports.js";
import { sleep } from "./wait.js";

export interface PrivateMosquitto {
  readonly port: number;
  readonly url: string;
  readonly dir: string;
  /** The running broker's process id. */
  readonly pid: number | undefined;
  /** Everything mosquitto wrote, for failure messages. */
  log(): string;
  start(): Promise<void>;
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Stops the broker and removes its directory. */
  dispose(): Promise<void>;
}

function accepting(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/**
 * A Mosquitto of the test's own on a free port, so parallel test files never share a broker.
 * `settings` are extra configuration lines (they may use the broker's directory); anonymous access
 * is allowed unless they say otherwise.
 */
export async function startMosquitto(
  options: {
    settings?: (dir: string) => string[];
    /** false: no access rules of the harness's own (the settings bring theirs). */
    anonymous?: boolean;
    /** More listeners: a port each is picked and passed to `settings`. */
    extraPorts?: number;
    settingsWithPorts?: (dir: string, ports: number[]) => string[];
    /** A given port instead of a free one. */
    port?: number;
  } = {},
): Promise<PrivateMosquitto & { extraPorts: number[] }> {
  const scratch = scratchDir("spectra-mosquitto-");
  const port = options.port ?? (await freePort());
  const extraPorts: number[] = [];
  for (let i = 0; i < (options.extraPorts ?? 0); i++) extraPorts.push(await freePort());
  const config = join(scratch.path, "mosquitto.conf");
  writeFileSync(
    config,
    [
      `user ${userInfo().username}`,
      ...(options.anonymous === false ? [] : ["per_listener_settings false", "allow_anonymous true"]),
      `listener ${port} 127.0.0.1`,
      "persistence false",
      "log_dest stderr",
      "log_type error",
      "log_type warning",
      "max_queued_messages 100000",
      ...(options.settings?.(scratch.path) ?? []),
      ...(options.settingsWithPorts?.(scratch.path, extraPorts) ?? []),
      "",
    ].join("\n"),
  );
  let child: ChildProcess | null = null;
  let output = "";
  const start = async (): Promise<void> => {
    const started = spawn("mosquitto", ["-c", config], { stdio: ["ignore", "pipe", "pipe"] });
    child = started;
    // A test that times out may never reach its afterAll: the broker goes when the test process does.
    const reap = (): void => {
      started.kill("SIGKILL");
    };
    process.once("exit", reap);
    started.once("exit", () => process.off("exit", reap));
    started.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    started.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    const deadline = Date.now() + 10_000;
    while (!(await accepting(port))) {
      if (started.exitCode !== null || Date.now() > deadline) {
        throw new Error(`mosquitto did not start on port ${port}:\n${output}`);
      }
      await sleep(20);
    }
  };
  const stop = async (signal: NodeJS.Signals = "SIGTERM"): Promise<void> => {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once("exit", () => resolve()));
    running.kill(signal);
    await exited;
  };
  await start();
  return {
    port,
    extraPorts,
    get pid() {
      return child?.pid;
    },
    url: `mqtt://127.0.0.1:${port}`,
    dir: scratch.path,
    log: () => output,
    start,
    stop,
    dispose: async () => {
      await stop();
      scratch.remove();
    },
  };
}
