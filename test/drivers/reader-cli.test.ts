import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, describe, expect, it } from "vitest";
import {
  healthReaches,
  nextEvent,
  readerOn,
} from "../../src/drivers/card-reader/reader-contract.test-helpers.js";
import { SocatPair } from "../../src/drivers/serial/socat-pair.js";
import { serialTransport } from "../../src/drivers/serial/transport.js";

// The technician's commands end to end, as processes: `reader emulate` makes a socat pty pair and
// plays typed lines; `reader listen` reads them through the real driver and prints JSON.
// Needs `npm run build` first (npm test does it).
const dir = mkdtempSync(join(tmpdir(), "spectra-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const bin = join(import.meta.dirname, "..", "..", "bin", "spectra-kiosk.js");

function run(args: readonly string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [bin, ...args], { stdio: "pipe" });
}

function exited(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return child.exitCode !== null
    ? Promise.resolve(child.exitCode)
    : new Promise((resolve) => child.once("exit", resolve));
}

async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("spectra-kiosk reader parse / emulate / listen", () => {
  it("parse prints one JSON object per line, masked, and exits 1 when a line was refused", async () => {
    const child = run(["reader", "parse"]);
    child.stdin.end(";4111111111111111=30121010000000000000?\r%E?;E?\n;4111111111111112=3012101?\n");
    const lines: string[] = [];
    for await (const line of createInterface({ input: child.stdout })) lines.push(line);
    expect(await exited(child)).toBe(1);
    const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(parsed[0]).toMatchObject({ ok: true, card: { maskedPan: "411111******1111", brand: "Visa" } });
    expect(parsed[1]).toMatchObject({ ok: false, code: "CARD_TRACK_READ_ERROR" });
    expect(parsed[2]).toMatchObject({ ok: false, code: "CARD_LUHN_FAILED" });
    expect(lines.join("\n")).not.toMatch(/4111111111111/);
  });

  it("emulate plays typed lines into a pty pair that listen reads through the real driver", async () => {
    const link = join(dir, "reader");
    const emulator = run(["reader", "emulate", "--link", link, "--keep-open"]);
    const listener = run(["reader", "listen", "--path", link, "--role", "both"]);
    const out: Record<string, unknown>[] = [];
    createInterface({ input: listener.stdout }).on("line", (line) => out.push(JSON.parse(line)));
    try {
      await until(() => existsSync(link), "the emulator's pty");
      await until(
        () => out.some((line) => (line.health as { state?: string } | undefined)?.state === "connected"),
        "listen to connect",
      );
      emulator.stdin.write("@swipe visa\n@magnesafe mastercard\n@error\n@long 5000\nINV-10042\n");
      const events = () => out.filter((line) => !("health" in line));
      await until(() => events().length >= 5, "five events");
      expect(events()).toEqual([
        expect.objectContaining({
          ok: true,
          card: expect.objectContaining({ maskedPan: "411111******1111" }),
        }),
        expect.objectContaining({
          ok: true,
          card: expect.objectContaining({
            maskedPan: "555555******4444",
            encrypted: expect.objectContaining({ ksn: "9011880B0C1A13000138" }),
          }),
        }),
        expect.objectContaining({ ok: false, code: "CARD_TRACK_READ_ERROR" }),
        expect.objectContaining({ ok: false, code: "READER_LINE_TOO_LONG" }),
        { ok: true, scan: { invoiceNumber: "INV-10042", source: "code" } },
      ]);
    } finally {
      listener.kill("SIGINT");
      emulator.kill("SIGINT");
    }
    expect(await exited(listener)).toBe(0);
    expect(await exited(emulator)).toBe(0);
    expect(existsSync(link)).toBe(false);
  });

  it("emulate --tty plays a script file into an existing tty", async () => {
    const pair = await SocatPair.start(dir, "tty");
    const { reader } = readerOn({
      open: serialTransport({ path: pair.kioskPath, baudRate: 9600 }),
      simulated: false,
      send: async () => {},
      unplug: async () => {},
      replug: async () => {},
      close: async () => {},
    });
    reader.start();
    const script = join(dir, "script.txt");
    writeFileSync(script, "# a comment\n@track2 discover\n@wait 50\n@badluhn visa\n");
    try {
      await healthReaches(reader, "connected");
      const read = nextEvent(reader, "cardRead", 10_000);
      const rejected = nextEvent(reader, "cardRejected", 10_000);
      const emulator = run(["reader", "emulate", "--tty", pair.devicePath, "--file", script]);
      expect((await read).maskedPan).toBe("601111******1117");
      expect((await rejected).code).toBe("CARD_LUHN_FAILED");
      expect(await exited(emulator)).toBe(0);
    } finally {
      await reader.stop();
      await pair.kill();
    }
  });
});
