import { describe, expect, it } from "vitest";
import { fullSwipe, magneSafeSwipe, TEST_CARDS } from "../../drivers/card-reader/swipe-builder.js";
import { parseSwipe } from "../../drivers/card-reader/swipe-parser.js";
import { DEFAULT_CARD_PREFIXES } from "../../payments/card/card-brand.js";
import type { CardSource } from "../../payments/processor/processor.js";
import { withCardSource } from "./card-source.js";

const OPTIONS = {
  prefixes: DEFAULT_CARD_PREFIXES,
  now: new Date("2026-11-26T10:00:00Z"),
  rejectExpired: true,
};

function read(line: string) {
  const outcome = parseSwipe(line, OPTIONS);
  if (!outcome.ok) throw outcome.error;
  return outcome.card;
}

describe("a card read handed to the processor", () => {
  it("a clear swipe goes as the card number once, and is wiped when the charge settles", async () => {
    const card = read(fullSwipe(TEST_CARDS.visa));
    let seen: CardSource | null = null;
    await withCardSource(card, async (source) => {
      seen = source;
      return "charged";
    });
    expect(seen).toMatchObject({ kind: "swiped", expiry: { year: 2030, month: 12 } });
    expect(card.secrets.available).toBe(false);
    await expect(withCardSource(card, async () => "again")).rejects.toThrow(/CARD_DATA_WIPED/);
  });

  it("an encrypting reader's swipe goes as its ciphertext and masked number, never in clear", async () => {
    const card = read(magneSafeSwipe(TEST_CARDS.visa));
    const source = await withCardSource(card, async (given) => given);
    expect(source).toMatchObject({
      kind: "encrypted",
      payload: {
        format: "magtek-magnesafe",
        maskedPan: "411111******1111",
        expiry: { year: 2030, month: 12 },
      },
    });
    expect(JSON.stringify(source)).not.toContain(TEST_CARDS.visa.pan);
  });
});
