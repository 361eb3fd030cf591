import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createMemoryLogger } from "../../core/logger.js";
import { DEFAULT_CARD_PREFIXES } from "../../payments/card/card-brand.js";
import { passesLuhn } from "../../payments/card/luhn.js";
import { parseMaskedPan } from "../../payments/card/masked-pan.js";
import { SimulatedLine } from "../serial/simulated-line.js";
import { DEFAULT_SCAN_OPTIONS } from "./invoice-scan.js";
import { LineReader } from "./line-reader.js";
import { type LineContext, type LineEvent, routeLine } from "./line-router.js";
import { fullSwipe, magneSafeSwipe, TEST_CARDS, track1, track2, track3 } from "./swipe-builder.js";

/**
 * Property-based fuzzing of every parser through `routeLine`, the one function the driver calls per
 * line: random bytes and mutated valid lines never throw, and never give a card read whose number
 * fails Luhn. 10,000 cases each.
 */
const RUNS = 10_000;
const context = (role: LineContext["role"]): LineContext => ({
  role,
  swipe: { prefixes: DEFAULT_CARD_PREFIXES, now: new Date("2026-11-26T12:00:00Z"), rejectExpired: false },
  scan: DEFAULT_SCAN_OPTIONS,
  maxLineLength: 512,
});

const cards = Object.values(TEST_CARDS);
const clearLines = cards.flatMap((card) => [
  track1(card),
  track2(card, { lrc: true }),
  fullSwipe(card),
  fullSwipe(card, { lrc: true, padName: true }) + track3({ lrc: true }),
]);
const magneSafeLines = cards.map((card) => magneSafeSwipe(card));
const scanLines = [
  "INV-10042",
  "https://studio.example/pay?invoice=100234",
  "]Q1100234",
  "https://s.example/i/77/",
];

/** Random edits to a valid line: replace, insert, delete characters, cut it short, repeat a piece. */
const mutated = (lines: readonly string[]) =>
  fc
    .tuple(
      fc.constantFrom(...lines),
      fc.array(
        fc.tuple(
          fc.nat(),
          fc.constantFrom("replace", "insert", "delete", "truncate", "repeat"),
          fc.string({ unit: "binary-ascii", maxLength: 3 }),
        ),
        { minLength: 1, maxLength: 4 },
      ),
    )
    .map(([line, edits]) =>
      edits.reduce((text, [at, edit, chars]) => {
        const index = text.length === 0 ? 0 : at % text.length;
        switch (edit) {
          case "replace":
            return text.slice(0, index) + chars + text.slice(index + chars.length);
          case "insert":
            return text.slice(0, index) + chars + text.slice(index);
          case "delete":
            return text.slice(0, index) + text.slice(index + 1 + (chars.length % 3));
          case "truncate":
            return text.slice(0, index);
          default:
            return text.slice(0, index) + text.slice(index, index + 8) + text.slice(index);
        }
      }, line),
    );

const randomBytes = fc.uint8Array({ maxLength: 600 }).map((bytes) => Buffer.from(bytes).toString("latin1"));

function checkEvent(event: LineEvent | null): void {
  if (event === null) return;
  switch (event.type) {
    case "cardRead": {
      const { card } = event;
      expect(() => parseMaskedPan(card.maskedPan)).not.toThrow();
      if (card.encrypted === null) {
        const digits = card.secrets.use((clear) => clear.cardNumber.digits());
        expect(passesLuhn(digits)).toBe(true);
        expect(card.maskedPan.slice(0, 6)).toBe(digits.slice(0, 6));
      } else {
        expect(card.secrets.available).toBe(false);
      }
      break;
    }
    case "cardRejected":
    case "scanRejected":
      expect(event.error.message).not.toMatch(/\d{12,}/);
      break;
    case "invoiceScan":
      expect(event.scan.invoiceNumber).toMatch(DEFAULT_SCAN_OPTIONS.invoicePattern);
      break;
  }
}

const holds = (lines: fc.Arbitrary<string>, role: LineContext["role"]) => {
  fc.assert(
    fc.property(lines, (line) => checkEvent(routeLine(line, context(role)))),
    { numRuns: RUNS },
  );
};

describe("fuzzing the line parsers (10,000 cases each)", () => {
  it("card parser: random bytes", () => holds(randomBytes, "cards"));
  it("card parser: mutated clear swipes", () => holds(mutated(clearLines), "cards"));
  it("MagneSafe parser: mutated encrypted lines", () => holds(mutated(magneSafeLines), "cards"));
  it("MagneSafe parser: random fields between pipes", () =>
    holds(
      fc
        .array(fc.string({ maxLength: 40 }), { minLength: 8, maxLength: 14 })
        .map((fields) => fields.join("|")),
      "cards",
    ));
  it("scan parser: random bytes", () => holds(randomBytes, "scans"));
  it("scan parser: mutated codes and links", () => holds(mutated([...scanLines, ...clearLines]), "scans"));
  it("combined reader: mutated swipes and scans", () =>
    holds(mutated([...clearLines, ...magneSafeLines, ...scanLines]), "both"));

  it("mutations do reach the card path (the fuzzing is not vacuous)", () => {
    const events = clearLines.map((line) => routeLine(line, context("cards"))?.type);
    expect(events.every((type) => type === "cardRead")).toBe(true);
    const sample = fc.sample(mutated(clearLines), { numRuns: 2000, seed: 7 });
    const kinds = new Set(sample.map((line) => routeLine(line, context("cards"))?.type));
    expect(kinds.has("cardRead") && kinds.has("cardRejected")).toBe(true);
  });
});

describe("fuzzing the whole line driver with random byte streams", () => {
  it("delivers only well-formed events and never throws, whatever arrives in whatever chunks", async () => {
    const line = new SimulatedLine();
    const reader = new LineReader({
      device: "card-reader",
      open: line.open,
      simulated: true,
      lineEnding: "\r",
      maxLineLength: 512,
      role: "both",
      prefixes: DEFAULT_CARD_PREFIXES,
      rejectExpired: true,
      scan: DEFAULT_SCAN_OPTIONS,
      secretsTtlMs: 60_000,
      backoff: { initialMs: 10, maxMs: 10 },
      clock: { now: () => new Date("2026-11-26T12:00:00Z") },
      logger: createMemoryLogger(),
    });
    const events: LineEvent[] = [];
    let delivered = 0;
    reader.on("cardRead", (card) => events.push({ type: "cardRead", card }));
    reader.on("cardRejected", (error) => events.push({ type: "cardRejected", error }));
    reader.on("invoiceScan", (scan) => events.push({ type: "invoiceScan", scan }));
    reader.on("scanRejected", (error) => events.push({ type: "scanRejected", error }));
    reader.start();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const chunk = fc.oneof(
      fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
      mutated([...clearLines, ...magneSafeLines, ...scanLines]).map((text) =>
        Buffer.from(`${text}\r`, "latin1"),
      ),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(chunk, { minLength: 1, maxLength: 5 }), async (chunks) => {
        for (const bytes of chunks) line.emitData(bytes);
        await new Promise((resolve) => setImmediate(resolve));
        for (const event of events.splice(0)) {
          checkEvent(event);
          delivered += 1;
        }
      }),
      { numRuns: RUNS },
    );
    await reader.stop();
    expect(delivered).toBeGreaterThan(RUNS / 2);
  });
});
