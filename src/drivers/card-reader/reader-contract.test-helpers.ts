import { once } from "node:events";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { systemClock } from "../../core/clock.js";
import { ErrorCodes } from "../../core/error-codes.js";
import type { KioskError } from "../../core/kiosk-error.js";
import { createMemoryLogger } from "../../core/logger.js";
import { DEFAULT_CARD_PREFIXES } from "../../payments/card/card-brand.js";
import type { TransportFactory } from "../serial/transport.js";
import type { CardRead } from "./card-read.js";
import { DEFAULT_SCAN_OPTIONS, type InvoiceScan } from "./invoice-scan.js";
import { type CardReaderEvents, LineReader, type ReaderHealth } from "./line-reader.js";
import type { LineRole } from "./line-router.js";
import { fullSwipe, magneSafeSwipe, TEST_CARDS, track1, track2, track3 } from "./swipe-builder.js";

/**
 * The one contract every card reader line passes (STYLE point 12): the in-memory simulator in a unit
 * test, and real serialport over a socat pseudo-terminal pair in test/drivers/. A harness gives the
 * transport and acts as the device at the other end.
 */
export interface LineHarness {
  readonly open: TransportFactory;
  readonly simulated: boolean;
  /** Sends bytes as the device would. */
  send(bytes: string | Buffer): Promise<void>;
  /** Pulls the cable (the transport goes away), and puts it back (a new one appears at the same place). */
  unplug(): Promise<void>;
  replug(): Promise<void>;
  close(): Promise<void>;
}

export const LINE_ENDING = "\r";
export const MAX_LINE = 1024;

export function readerOn(harness: LineHarness, role: LineRole = "cards") {
  const logger = createMemoryLogger();
  const reader = new LineReader({
    device: "card-reader",
    open: harness.open,
    simulated: harness.simulated,
    lineEnding: LINE_ENDING,
    maxLineLength: MAX_LINE,
    role,
    prefixes: DEFAULT_CARD_PREFIXES,
    rejectExpired: true,
    scan: DEFAULT_SCAN_OPTIONS,
    secretsTtlMs: 60_000,
    backoff: { initialMs: 20, maxMs: 200 },
    clock: systemClock,
    logger,
  });
  return { reader, logger };
}

export async function nextEvent<K extends keyof CardReaderEvents>(
  reader: LineReader,
  name: K,
  timeoutMs = 3000,
): Promise<CardReaderEvents[K][0]> {
  const [value] = await once(reader as unknown as NodeJS.EventEmitter, name, {
    signal: AbortSignal.timeout(timeoutMs),
  });
  return value as CardReaderEvents[K][0];
}

export async function healthReaches(
  reader: LineReader,
  state: ReaderHealth["state"],
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (reader.health.state !== state) {
    if (Date.now() > deadline) throw new Error(`health stayed ${reader.health.state}, expected ${state}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export function describeCardReaderContract(name: string, makeHarness: () => Promise<LineHarness>): void {
  describe(`card reader contract: ${name}`, () => {
    let harness: LineHarness;
    let reader: LineReader;
    let logger: ReturnType<typeof createMemoryLogger>;

    beforeEach(async () => {
      harness = await makeHarness();
      ({ reader, logger } = readerOn(harness));
      reader.start();
      await healthReaches(reader, "connected");
    });
    afterEach(async () => {
      await reader.stop();
      await harness.close();
    });

    async function swipe(line: string | Buffer): Promise<CardRead> {
      const read = nextEvent(reader, "cardRead");
      await harness.send(typeof line === "string" ? `${line}${LINE_ENDING}` : line);
      return read;
    }
    async function reject(line: string): Promise<KioskError> {
      const rejected = nextEvent(reader, "cardRejected");
      await harness.send(`${line}${LINE_ENDING}`);
      return rejected;
    }

    it("reports itself connected, and simulated only when it is", () => {
      expect(reader.health).toMatchObject({
        state: "connected",
        device: "card-reader",
        simulated: harness.simulated,
      });
    });

    it.each([
      ["track 1 alone", track1(TEST_CARDS.visa), "411111******1111", [1]],
      ["track 2 alone with LRC", track2(TEST_CARDS.visa, { lrc: true }), "411111******1111", [2]],
      [
        "tracks 1+2 with a padded name",
        fullSwipe(TEST_CARDS.amex, { padName: true }),
        "378282*****0005",
        [1, 2],
      ],
      [
        "tracks 1+2+3 with LRCs",
        fullSwipe(TEST_CARDS.discover, { lrc: true }) + track3({ lrc: true }),
        "601111******1117",
        [1, 2, 3],
      ],
      ["a track 1 read error beside track 2", `%E?${track2(TEST_CARDS.mastercard)}`, "555555******4444", [2]],
      ["MagneSafe encrypted output", magneSafeSwipe(TEST_CARDS.mastercard), "555555******4444", [1, 2]],
    ])("reads %s", async (_name, line, maskedPan, tracks) => {
      const read = await swipe(line);
      expect(read.maskedPan).toBe(maskedPan);
      expect(read.tracks).toEqual(tracks);
      expect(read.entryMode).toBe("swiped");
    });

    it("hands the clear number to one consumer, then it is gone", async () => {
      const read = await swipe(fullSwipe(TEST_CARDS.visa));
      expect(read.cardholderName).toBe("JANE DOE");
      expect(read.secrets.use((clear) => clear.cardNumber.digits())).toBe(TEST_CARDS.visa.pan);
      expect(read.secrets.available).toBe(false);
    });

    it.each([
      ["read errors", "%E?;E?", ErrorCodes.CARD_TRACK_READ_ERROR],
      [
        "a bad check digit",
        fullSwipe({ ...TEST_CARDS.visa, pan: "4111111111111112" }),
        ErrorCodes.CARD_LUHN_FAILED,
      ],
      [
        "disagreeing tracks",
        track1(TEST_CARDS.visa) + track2(TEST_CARDS.discover),
        ErrorCodes.CARD_TRACK_MISMATCH,
      ],
      ["an expired card", fullSwipe({ ...TEST_CARDS.visa, expiry: "1901" }), ErrorCodes.CARD_EXPIRED],
      ["text", "hello, reader", ErrorCodes.CARD_SWIPE_UNKNOWN_FORMAT],
    ])("rejects %s with a code", async (_name, line, code) => {
      expect((await reject(line)).code).toBe(code);
    });

    it("survives binary noise and an overlong line, then reads the next swipe", async () => {
      const noise = Buffer.from(
        Array.from({ length: 300 }, (_, index) => (index * 73 + 11) % 256).filter((b) => b !== 13),
      );
      const rejectedNoise = nextEvent(reader, "cardRejected");
      await harness.send(Buffer.concat([noise, Buffer.from(LINE_ENDING)]));
      expect((await rejectedNoise).code).toBe(ErrorCodes.CARD_SWIPE_UNKNOWN_FORMAT);

      const rejectedLong = nextEvent(reader, "cardRejected");
      await harness.send(`;${"4".repeat(MAX_LINE * 20)}?${LINE_ENDING}`);
      expect((await rejectedLong).code).toBe(ErrorCodes.READER_LINE_TOO_LONG);

      expect((await swipe(fullSwipe(TEST_CARDS.visa))).maskedPan).toBe("411111******1111");
    });

    it("joins a swipe that arrives in pieces", async () => {
      const line = `${fullSwipe(TEST_CARDS.mastercard)}${LINE_ENDING}`;
      const read = nextEvent(reader, "cardRead");
      for (let at = 0; at < line.length; at += 7) {
        await harness.send(line.slice(at, at + 7));
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      expect((await read).maskedPan).toBe("555555******4444");
    });

    it("reports an unplug, reconnects on replug, and reads again", async () => {
      await harness.unplug();
      await healthReaches(reader, "disconnected");
      await harness.replug();
      await healthReaches(reader, "connected");
      expect((await swipe(fullSwipe(TEST_CARDS.discover))).maskedPan).toBe("601111******1117");
    });

    it("never logs a card number or track data", async () => {
      await swipe(fullSwipe(TEST_CARDS.visa, { lrc: true }));
      await reject(fullSwipe({ ...TEST_CARDS.visa, pan: "4111111111111112" }));
      const logged = logger.lines.join("\n");
      expect(logged).not.toContain(TEST_CARDS.visa.pan);
      expect(logged).not.toContain("4111111111111");
      expect(logged).not.toContain("DOE/JANE");
      expect(logged).toContain("411111******1111");
    });

    it("stops: reports it and delivers nothing more", async () => {
      await reader.stop();
      expect(reader.health.state).toBe("disconnected");
      let delivered = false;
      reader.on("cardRead", () => {
        delivered = true;
      });
      await harness.send(`${fullSwipe(TEST_CARDS.visa)}${LINE_ENDING}`).catch(() => {});
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(delivered).toBe(false);
    });
  });

  describe(`scanner contract: ${name}`, () => {
    it("turns scanned codes into invoice scans on a combined reader, and swipes into cards", async () => {
      const harness = await makeHarness();
      const { reader } = readerOn(harness, "both");
      reader.start();
      try {
        await healthReaches(reader, "connected");
        const scan = nextEvent(reader, "invoiceScan");
        await harness.send(`https://studio.example/pay?invoice=100234${LINE_ENDING}`);
        expect((await scan) satisfies InvoiceScan).toEqual({ invoiceNumber: "100234", source: "url" });
        const rejected = nextEvent(reader, "scanRejected");
        await harness.send(`what is this${LINE_ENDING}`);
        expect((await rejected).code).toBe(ErrorCodes.SCAN_UNRECOGNIZED);
        const read = nextEvent(reader, "cardRead");
        await harness.send(`${track2(TEST_CARDS.visa)}${LINE_ENDING}`);
        expect((await read).maskedPan).toBe("411111******1111");
      } finally {
        await reader.stop();
        await harness.close();
      }
    });
  });
}
