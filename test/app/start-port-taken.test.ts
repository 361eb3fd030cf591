import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_CONFIG_PATH } from "../../src/config/load.js";
import { freePort } from "../helpers/ports.js";
import { tempDir } from "../helpers/store.js";

const BIN = fileURLToPath(new URL("../../bin/spectra-kiosk.js", import.meta.url));
const dir = tempDir("spectra-port-taken-");
afterAll(() => dir.remove());

/** The laptop setup without central (PGlite is slow to start and beside the point), on free ports. */
function configWith(ports: { ui: number; broker: number }): string {
  const config = JSON.parse(readFileSync(DEFAULT_CONFIG_PATH, "utf8")) as {
    dataDir: string;
    ui: { port: number };
    sync: { broker: { port: number } };
    central: { enabled: boolean };
  };
  config.dataDir = join(dir.path, `data-${ports.ui}-${ports.broker}`);
  config.ui.port = ports.ui;
  config.sync.broker.port = ports.broker;
  config.central.enabled = false;
  const path = join(dir.path, `config-${ports.ui}-${ports.broker}.json`);
  writeFileSync(path, JSON.stringify(config));
  return path;
}

async function holdPort(): Promise<{ port: number; server: Server }> {
  const port = await freePort();
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { port, server };
}

interface Exit {
  code: number | null;
  stderr: string;
  stdout: string;
  /** It had to be stopped: it did not exit by itself within 30 s. */
  stopped: boolean;
}

/** Runs `spectra-kiosk start` until it exits by itself (or 30 s pass: then it is stopped). */
function start(config: string): Promise<Exit> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, "start", "--config", config], {
      env: { PATH: process.env.PATH ?? "" },
      cwd: fileURLToPath(new URL("../..", import.meta.url)),
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    let stopped = false;
    const timer = setTimeout(() => {
      stopped = true;
      child.kill("SIGTERM");
    }, 30_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, stopped });
    });
  });
}

describe("spectra-kiosk start on a port already in use", () => {
  it("the screen's port taken: exits 1 with one coded line, no stack trace", async () => {
    const taken = await holdPort();
    try {
      const result = await start(configWith({ ui: taken.port, broker: await freePort() }));
      expect(result).toMatchObject({ code: 1, stopped: false });
      expect(result.stderr.trim().split("\n")).toEqual([
        `error: [UI_PORT_UNAVAILABLE] The screen's server cannot listen on 127.0.0.1:${taken.port} (EADDRINUSE): set ui.port to a free port.`,
      ]);
      // What had started stopped in order before the exit.
      expect(result.stdout).toContain("kiosk stopped");
    } finally {
      taken.server.close();
    }
  }, 40_000);

  it("the embedded broker's port taken: exits 1 with one coded line, before sync starts", async () => {
    const taken = await holdPort();
    try {
      const result = await start(configWith({ ui: await freePort(), broker: taken.port }));
      expect(result).toMatchObject({ code: 1, stopped: false });
      expect(result.stderr.trim().split("\n")).toEqual([
        `error: [SYNC_BROKER_START_FAILED] The embedded MQTT broker cannot listen on 127.0.0.1:${taken.port} (EADDRINUSE): free the port or change sync.broker.port.`,
      ]);
      // Nothing talked to whatever holds the port, and the screen never opened.
      expect(result.stdout).not.toContain("sync agent for");
      expect(result.stdout).not.toContain("touchscreen at");
    } finally {
      taken.server.close();
    }
  }, 40_000);
});
