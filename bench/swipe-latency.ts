/**
 * `npm run bench -- swipe-latency [swipes]`: bytes written at the device end of a socat pty → the
 * driver's CardRead event, over 1,000 swipes, beside a bare serialport reading the same bytes on a
 * second pty pair in the same run (interleaved, so both see the same machine load). Target: the
 * driver's p99 ≤ 10 ms.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SerialPort } from "serialport";
import { systemClock } from "../src/core/clock.js";
import { createMemoryLogger } from "../src/core/logger.js";
import { DEFAULT_SCAN_OPTIONS } from "../src/drivers/card-reader/invoice-scan.js";
import { LineReader } from "../src/drivers/card-reader/line-reader.js";
import { fullSwipe, TEST_CARDS, track3 } from "../src/drivers/card-reader/swipe-builder.js";
import { SocatPair } from "../src/drivers/serial/socat-pair.js";
import { serialTransport } from "../src/drivers/serial/transport.js";
import { DEFAULT_CARD_PREFIXES } from "../src/payments/card/card-brand.js";
import type { Bench } from "./lib/result.js";
import { nowMs, round, summarize } from "./lib/stats.js";

const TARGET_P99_MS = 10;

async function openPort(path: string): Promise<SerialPort> {
  const port = new SerialPort({ path, baudRate: 9600, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
  return port;
}

const bench: Bench = async (args) => {
  const swipes = Number(args[0] ?? 1000);
  const dir = mkdtempSync(join(tmpdir(), "spectra-bench-"));
  const barePair = await SocatPair.start(dir, "bare");
  const kioskPair = await SocatPair.start(dir, "kiosk");
  const lines = Object.values(TEST_CARDS).map(
    (card) => `${fullSwipe(card, { lrc: true, padName: true })}${track3()}\r`,
  );

  // Baseline: serialport alone, the line complete when its CR arrives.
  const bare = await openPort(barePair.kioskPath);
  let bareWaiting: (() => void) | null = null;
  bare.on("data", (chunk: Buffer) => {
    if (chunk.includes(0x0d)) bareWaiting?.();
  });

  const reader = new LineReader({
    device: "card-reader",
    open: serialTransport({ path: kioskPair.kioskPath, baudRate: 9600 }),
    simulated: false,
    lineEnding: "\r",
    maxLineLength: 2048,
    role: "cards",
    prefixes: DEFAULT_CARD_PREFIXES,
    rejectExpired: true,
    scan: DEFAULT_SCAN_OPTIONS,
    secretsTtlMs: 60_000,
    backoff: { initialMs: 20, maxMs: 200 },
    clock: systemClock,
    logger: createMemoryLogger(),
  });
  let readerWaiting: (() => void) | null = null;
  reader.on("cardRead", (card) => {
    card.secrets.wipe();
    readerWaiting?.();
  });
  reader.on("cardRejected", (error) => {
    throw new Error(`bench swipe rejected: ${error.code}`);
  });
  reader.start();
  while (reader.health.state !== "connected") await new Promise((resolve) => setTimeout(resolve, 10));
  const bareDevice = await barePair.device();
  const kioskDevice = await kioskPair.device();

  const measure = async (
    device: SerialPort,
    line: string,
    arm: (done: () => void) => void,
  ): Promise<number> => {
    const delivered = new Promise<void>((resolve) => arm(resolve));
    const started = nowMs();
    device.write(Buffer.from(line, "latin1"));
    await delivered;
    return nowMs() - started;
  };

  const bareSamples: number[] = [];
  const kioskSamples: number[] = [];
  for (let index = 0; index < swipes + 20; index += 1) {
    const line = lines[index % lines.length] as string;
    const measureBare = () =>
      measure(bareDevice, line, (done) => {
        bareWaiting = done;
      });
    const measureKiosk = () =>
      measure(kioskDevice, line, (done) => {
        readerWaiting = done;
      });
    // Alternate which goes first, so neither always runs in the other's wake.
    let bareMs: number;
    let kioskMs: number;
    if (index % 2 === 0) {
      bareMs = await measureBare();
      kioskMs = await measureKiosk();
    } else {
      kioskMs = await measureKiosk();
      bareMs = await measureBare();
    }
    // The first 20 warm up the JIT and the ptys.
    if (index >= 20) {
      bareSamples.push(bareMs);
      kioskSamples.push(kioskMs);
    }
  }

  await reader.stop();
  await new Promise<void>((resolve) => bare.close(() => resolve()));
  await barePair.kill();
  await kioskPair.kill();
  rmSync(dir, { recursive: true, force: true });

  const kiosk = summarize(kioskSamples);
  const baseline = summarize(bareSamples);
  const rows = [
    ["", "p50 ms", "p99 ms", "min ms", "max ms"],
    ["bare serialport read", baseline.p50, baseline.p99, baseline.min, baseline.max].map(String),
    ["driver → CardRead", kiosk.p50, kiosk.p99, kiosk.min, kiosk.max].map(String),
  ];
  process.stdout.write(
    `swipe latency over ${swipes} swipes (${lines[0]?.length} bytes each), socat pty pairs\n`,
  );
  for (const row of rows) {
    process.stdout.write(
      `${row.map((cell, column) => (column === 0 ? cell.padEnd(22) : String(Number.isNaN(Number(cell)) ? cell : round(Number(cell))).padStart(9))).join(" ")}\n`,
    );
  }
  return {
    bench: "swipe-latency",
    metric: "swipe_to_cardread_p99",
    value: round(kiosk.p99),
    unit: "ms",
    target: `<= ${TARGET_P99_MS}`,
    pass: kiosk.p99 <= TARGET_P99_MS,
  };
};

export default bench;
