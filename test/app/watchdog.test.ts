import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { tempDir } from "../helpers/store.js";

interface ReceivingSocket {
  bind(path: string): void;
  on(event: "message", listener: (message: Buffer) => void): void;
  close(): void;
}
const unixDgram = createRequire(import.meta.url)("unix-dgram") as {
  createSocket(type: "unix_dgram"): ReceivingSocket;
};

const CHILD = fileURLToPath(new URL("./watchdog-child.mjs", import.meta.url));
const BIN = fileURLToPath(new URL("../../bin/spectra-kiosk.js", import.meta.url));

/** A stand-in for systemd's notify socket: every datagram, with the time it arrived. */
function notifySocket() {
  const dir = tempDir("spectra-notify-");
  const path = join(dir.path, "notify.sock");
  const socket = unixDgram.createSocket("unix_dgram");
  const messages: { at: number; text: string }[] = [];
  socket.on("message", (message) => messages.push({ at: Date.now(), text: message.toString() }));
  socket.bind(path);
  return {
    path,
    messages,
    close: () => {
      socket.close();
      dir.remove();
    },
  };
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

describe("systemd notification", () => {
  it("beats the watchdog at half WATCHDOG_USEC, and the beats stop while the event loop is blocked", async () => {
    const socket = notifySocket();
    cleanups.push(socket.close);
    const child = spawn(process.execPath, [CHILD], {
      env: { ...process.env, NOTIFY_SOCKET: socket.path, WATCHDOG_USEC: "200000", BLOCK_MS: "1500" },
      stdio: "inherit",
    });
    await new Promise((resolve) => child.on("close", resolve));
    await new Promise((resolve) => setTimeout(resolve, 100));

    const texts = socket.messages.map((message) => message.text);
    expect(texts[0]).toBe("READY=1\nSTATUS=test");
    expect(texts.at(-1)).toBe("STOPPING=1");
    const beats = socket.messages
      .filter((message) => message.text === "WATCHDOG=1")
      .map((message) => message.at);
    const blocked = socket.messages.find((message) => message.text === "STATUS=blocking")?.at ?? 0;
    const unblocked = socket.messages.find((message) => message.text === "STATUS=unblocked")?.at ?? 0;
    expect(unblocked - blocked).toBeGreaterThanOrEqual(1400);
    expect(beats.filter((at) => at < blocked).length).toBeGreaterThanOrEqual(3); // every ~100 ms before
    expect(beats.filter((at) => at > blocked && at < unblocked)).toEqual([]); // none while blocked
    expect(beats.filter((at) => at > unblocked).length).toBeGreaterThanOrEqual(2); // and they come back
  });

  it("the kiosk says READY, beats, and says STOPPING on SIGTERM", async () => {
    const socket = notifySocket();
    cleanups.push(socket.close);
    const data = tempDir("spectra-notify-data-");
    cleanups.push(data.remove);
    const child = spawn(process.execPath, [BIN, "start"], {
      env: {
        ...process.env,
        NOTIFY_SOCKET: socket.path,
        WATCHDOG_USEC: "400000",
        SPECTRA_DATA_DIR: data.path,
      },
      stdio: "ignore",
    });
    const deadline = Date.now() + 15_000;
    while (!socket.messages.some((message) => message.text === "WATCHDOG=1") && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    child.kill("SIGTERM");
    await new Promise((resolve) => child.on("close", resolve));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const texts = socket.messages.map((message) => message.text);
    expect(texts[0]).toBe("READY=1\nSTATUS=in service");
    expect(texts).toContain("WATCHDOG=1");
    expect(texts.at(-1)).toBe("STOPPING=1");
  }, 30_000);
});
