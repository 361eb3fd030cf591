import { describe, expect, it } from "vitest";
import { ErrorCodes } from "../../core/error-codes.js";
import type { CardRead } from "../../drivers/card-reader/card-read.js";
import { fullSwipe, magneSafeSwipe, TEST_CARDS } from "../../drivers/card-reader/swipe-builder.js";
import { parseSwipe } from "../../drivers/card-reader/swipe-parser.js";
import { DEFAULT_CARD_PREFIXES } from "../../payments/card/card-brand.js";
import type { CardSource } from "../../payments/card-processor.js";
import { withSwipeSource } from "./swipe-source.js";

function read(line: string): CardRead {
  const outcome = parseSwipe(line, {
    prefixes: DEFAULT_CARD_PREFIXES,
    now: new Date("2026-11-26T12:00:00Z"),
    rejectExpired: true,
  });
  if (!outcome.ok) throw new Error(`expected a card, got ${outcome.error.message}`);
  return outcome.card;
}

describe("withSwipeSource", () => {
  it("hands a plain-track swipe's number over once and wipes it when the use settles", async () => {
    const card = read(fullSwipe(TEST_CARDS.visa));
    let seen: CardSource | null = null;
    const digits = await withSwipeSource(card, async (source) => {
      seen = source;
      return source.kind === "swiped" ? source.card.digits() : null;
    });
    expect(digits).toBe(TEST_CARDS.visa.pan);
    expect(seen).toMatchObject({ kind: "swiped", expiry: { month: 12, year: 2030 } });
    expect(card.secrets.available).toBe(false);
    await expect(withSwipeSource(card, async () => "again")).rejects.toMatchObject({
      code: ErrorCodes.CARD_DATA_WIPED,
    });
  });

  it("wipes the number when the use fails too", async () => {
    const card = read(fullSwipe(TEST_CARDS.mastercard));
    await expect(
      withSwipeSource(card, async () => {
        throw new Error("processor down");
      }),
    ).rejects.toThrow("processor down");
    expect(card.secrets.available).toBe(false);
  });

  it("passes a MagneSafe swipe on as the reader encrypted it, with the masked number", async () => {
    const card = read(magneSafeSwipe(TEST_CARDS.amex));
    const source = await withSwipeSource(card, async (given) => given);
    expect(source).toMatchObject({
      kind: "encrypted",
      payload: {
        format: "magtek-magnesafe",
        ksn: card.encrypted?.ksn,
        encryptedTrack2: card.encrypted?.track2,
        encryptedTrack1: card.encrypted?.track1,
        maskedPan: card.maskedPan,
        expiry: { month: 6, year: 2031 },
      },
    });
    expect(JSON.stringify(source)).not.toContain(TEST_CARDS.amex.pan);
  });

  it("refuses a read without an expiry with a coded error, calling nothing", async () => {
    const card = { ...read(magneSafeSwipe(TEST_CARDS.discover)), expiry: null };
    let called = false;
    await expect(
      withSwipeSource(card, async () => {
        called = true;
      }),
    ).rejects.toMatchObject({ code: ErrorCodes.CARD_TRACK_READ_ERROR });
    expect(called).toBe(false);
  });
});
