import { describe, expect, it, vi } from "vitest";
import { ErrorCodes } from "../../core/error-codes.js";
import { DEFAULT_CARD_PREFIXES } from "../../payments/card/card-brand.js";
import { maskedCardFields } from "./card-read.js";
import { fullSwipe, magneSafeSwipe, TEST_CARDS, track1, track2, track3 } from "./swipe-builder.js";
import { parseSwipe, type SwipeOutcome } from "./swipe-parser.js";
import { lrcFor } from "./track-tokens.js";

const options = {
  prefixes: DEFAULT_CARD_PREFIXES,
  now: new Date("2026-11-26T12:00:00Z"),
  rejectExpired: true,
};
const parse = (line: string): SwipeOutcome => parseSwipe(line, options);

function card(line: string) {
  const outcome = parse(line);
  if (!outcome.ok) throw new Error(`expected a card, got ${outcome.error.message}`);
  return outcome.card;
}
function rejection(line: string) {
  const outcome = parse(line);
  if (outcome.ok) throw new Error("expected a rejection");
  return outcome.error;
}

describe("parseSwipe: clear ISO 7813 tracks", () => {
  const visa = TEST_CARDS.visa;

  it.each([
    ["track 1 alone", track1(visa)],
    ["track 2 alone", track2(visa)],
    ["tracks 1 and 2", fullSwipe(visa)],
    ["tracks 1, 2 and 3", `${fullSwipe(visa)}${track3()}`],
    ["with LRCs", `${fullSwipe(visa, { lrc: true })}${track3({ lrc: true })}`],
    ["with a padded name", fullSwipe(visa, { padName: true })],
    ["framed by STX/ETX and CR", `\x02${fullSwipe(visa)}\x03\r`],
    ["track 3 unreadable", `${fullSwipe(visa)}+E?`],
    ["track 1 unreadable, track 2 read", `%E?${track2(visa)}`],
  ])("reads %s", (_name, line) => {
    const read = card(line);
    expect(read.maskedPan).toBe("411111******1111");
    expect(read.brand).toBe("Visa");
    expect(read.entryMode).toBe("swiped");
    expect(read.expiry).toBe("2030-12");
    expect(read.expired).toBe(false);
    expect(read.serviceCode).toBe("101");
    expect(read.encrypted).toBeNull();
    expect(read.secrets.use((clear) => clear.cardNumber.digits())).toBe(visa.pan);
    expect(read.secrets.available).toBe(false);
  });

  it("turns LAST/FIRST M.TITLE into a display name and trims padding", () => {
    expect(card(fullSwipe(TEST_CARDS.amex, { padName: true })).cardholderName).toBe("JOHN Q SMITH");
    expect(card(track1({ ...TEST_CARDS.visa, name: "  /" })).cardholderName).toBeNull();
    expect(card(track2(TEST_CARDS.visa)).cardholderName).toBeNull();
  });

  it("reads an LRC that looks like a start sentinel", () => {
    // Find a card whose track 1 LRC is ";" (the track 2 start sentinel) and parse it both ways.
    let found = false;
    const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    for (let suffix = 0; suffix < letters.length * letters.length && !found; suffix += 1) {
      const given = `${letters.charAt(suffix % 26)}${letters.charAt(Math.floor(suffix / 26))}`;
      const name = `DOE/${given}`;
      const data = `B${visa.pan}^${name}^3012101000`;
      if (lrcFor(1, data) !== ";") continue;
      found = true;
      expect(card(`%${data}?;${track2(visa)}`).cardholderName).toBe(`${given} DOE`);
      expect(card(`%${data}?${track2(visa)}`).tracks).toEqual([1, 2]);
    }
    expect(found).toBe(true);
  });

  it("knows brands from the prefix table", () => {
    expect(card(fullSwipe(TEST_CARDS.mastercard)).brand).toBe("Mastercard");
    expect(card(fullSwipe(TEST_CARDS.amex)).maskedPan).toBe("378282*****0005");
    expect(card(fullSwipe(TEST_CARDS.discover)).brand).toBe("Discover");
  });

  it("accepts a track 1 number written with spaces and a card without expiry", () => {
    expect(card("%B3782 822463 10005^SMITH/JOHN^^^?").maskedPan).toBe("378282*****0005");
    const read = card(";4111111111111111==101?");
    expect(read.expiry).toBeNull();
    expect(read.expired).toBe(false);
  });

  it("keeps an expired card when asked to, with the flag set", () => {
    const line = fullSwipe({ ...visa, expiry: "2410" });
    const outcome = parseSwipe(line, { ...options, rejectExpired: false });
    expect(outcome.ok && outcome.card.expired).toBe(true);
    expect(card(fullSwipe({ ...visa, expiry: "2611" })).expired).toBe(false);
  });

  it.each([
    ["a bad check digit", fullSwipe({ ...visa, pan: "4111111111111112" }), ErrorCodes.CARD_LUHN_FAILED],
    [
      "tracks 1 and 2 disagreeing",
      `${track1(visa)}${track2(TEST_CARDS.mastercard)}`,
      ErrorCodes.CARD_TRACK_MISMATCH,
    ],
    ["an expired card", fullSwipe({ ...visa, expiry: "2610" }), ErrorCodes.CARD_EXPIRED],
    ["read errors on every track", "%E?;E?+E?", ErrorCodes.CARD_TRACK_READ_ERROR],
    ["a track 2 read error alone", ";E?", ErrorCodes.CARD_TRACK_READ_ERROR],
    ["track 3 alone", track3(), ErrorCodes.CARD_SWIPE_UNKNOWN_FORMAT],
    ["a non-bank track 1", "%ACME LOYALTY 1234?", ErrorCodes.CARD_SWIPE_UNKNOWN_FORMAT],
    ["a month 13 expiry", fullSwipe({ ...visa, expiry: "3013" }), ErrorCodes.CARD_SWIPE_UNKNOWN_FORMAT],
    ["no end sentinel", `%B${visa.pan}^DOE/JANE^3012101`, ErrorCodes.CARD_SWIPE_UNKNOWN_FORMAT],
    ["letters on track 2", ";4111111111111111=30AB101?", ErrorCodes.CARD_SWIPE_UNKNOWN_FORMAT],
    ["two track 1s", `${track1(visa)}${track1(visa)}`, ErrorCodes.CARD_SWIPE_UNKNOWN_FORMAT],
    ["text after the tracks", `${fullSwipe(visa)}hello`, ErrorCodes.CARD_SWIPE_UNKNOWN_FORMAT],
    ["an empty line", "", ErrorCodes.CARD_SWIPE_UNKNOWN_FORMAT],
    ["binary noise", "\u0000\u00ff\ufffd%;?\u0007", ErrorCodes.CARD_SWIPE_UNKNOWN_FORMAT],
    ["a too-short number", ";41111=3012101?", ErrorCodes.CARD_NUMBER_INVALID],
  ])("rejects %s with a code", (_name, line, code) => {
    const error = rejection(line);
    expect(error.code).toBe(code);
    expect(error.message).toContain(`[${code}]`);
  });

  it("never puts the number or the line into a rejection", () => {
    for (const line of [
      fullSwipe({ ...visa, pan: "4111111111111112" }),
      `${track1(visa)}${track2(TEST_CARDS.mastercard)}`,
      fullSwipe({ ...visa, expiry: "2410" }),
    ]) {
      const text = JSON.stringify(rejection(line)) + rejection(line).message + String(rejection(line).stack);
      expect(text).not.toContain("411111111111");
      expect(text).not.toContain("555555555555");
      expect(text).not.toContain("DOE/JANE");
    }
  });

  it("never shows the number or tracks when a read is logged or serialized", () => {
    const read = card(fullSwipe(visa));
    const text = JSON.stringify(read) + String(read.secrets) + JSON.stringify(maskedCardFields(read));
    expect(text).not.toContain(visa.pan);
    expect(text).not.toContain("3012101");
    expect(text).toContain("411111******1111");
    read.secrets.wipe();
    expect(() => read.secrets.use(() => 1)).toThrow(/CARD_DATA_WIPED/);
  });

  it("wipes a swipe's card data once it expires, and an expiry never outlives the data", () => {
    vi.useFakeTimers();
    try {
      const unused = card(fullSwipe(visa));
      unused.secrets.expireAfter(120_000);
      vi.advanceTimersByTime(119_999);
      expect(unused.secrets.available).toBe(true);
      vi.advanceTimersByTime(1);
      expect(unused.secrets.available).toBe(false);

      const used = card(fullSwipe(visa));
      used.secrets.expireAfter(120_000);
      expect(vi.getTimerCount()).toBe(1);
      used.secrets.use((clear) => clear.cardNumber.digits());
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("parseSwipe: MagTek MagneSafe encrypted output", () => {
  it("puts the masked data on the card and the ciphertext and KSN in the payload", () => {
    const read = card(magneSafeSwipe(TEST_CARDS.mastercard));
    expect(read.maskedPan).toBe("555555******4444");
    expect(read.brand).toBe("Mastercard");
    expect(read.cardholderName).toBe("ERIKA MUSTERMANN");
    expect(read.expiry).toBe("2029-11");
    expect(read.serviceCode).toBeNull();
    expect(read.encrypted?.ksn).toBe("9011880B0C1A13000138");
    expect(read.encrypted?.deviceSerial).toBe("B0C1A13041515AA");
    expect(read.encrypted?.track2).toMatch(/^[0-9A-F]{80}$/);
    expect(read.encrypted?.track3).toBeNull();
    expect(read.secrets.available).toBe(false);
  });

  it("accepts numbers masked with 0 and a masked expiry", () => {
    const line = magneSafeSwipe(TEST_CARDS.visa)
      .replace(/411111\*{6}1111/g, "4111110000001111")
      .replace(/3012/g, "0000");
    const read = card(line);
    expect(read.maskedPan).toBe("411111******1111");
    expect(read.expiry).toBeNull();
  });

  it.each([
    ["too few fields", "%B4111********1111^DOE/J^3012?|0600|ABCD", ErrorCodes.CARD_SWIPE_UNKNOWN_FORMAT],
    [
      "a bad KSN",
      magneSafeSwipe(TEST_CARDS.visa).replace("9011880B0C1A13000138", "XYZ"),
      ErrorCodes.CARD_SWIPE_UNKNOWN_FORMAT,
    ],
    [
      "odd-length ciphertext",
      magneSafeSwipe(TEST_CARDS.visa).replace("|0600|A", "|0600|"),
      ErrorCodes.CARD_SWIPE_UNKNOWN_FORMAT,
    ],
    [
      "masked read errors",
      `%E?;E?${magneSafeSwipe(TEST_CARDS.visa).slice(magneSafeSwipe(TEST_CARDS.visa).indexOf("|"))}`,
      ErrorCodes.CARD_TRACK_READ_ERROR,
    ],
    [
      "no encrypted tracks",
      magneSafeSwipe(TEST_CARDS.visa)
        .split("|")
        .map((field, index) => (index === 2 || index === 3 ? "" : field))
        .join("|"),
      ErrorCodes.CARD_TRACK_READ_ERROR,
    ],
    [
      "masked numbers disagreeing",
      magneSafeSwipe(TEST_CARDS.visa).replace(";411111******1111", ";555555******4444"),
      ErrorCodes.CARD_TRACK_MISMATCH,
    ],
    [
      "only 4 leading digits shown",
      magneSafeSwipe(TEST_CARDS.visa).replace(/411111\*{6}1111/g, "4111********1111"),
      ErrorCodes.CARD_SWIPE_UNKNOWN_FORMAT,
    ],
    ["an expired card", magneSafeSwipe({ ...TEST_CARDS.visa, expiry: "2501" }), ErrorCodes.CARD_EXPIRED],
  ])("rejects %s", (_name, line, code) => {
    expect(rejection(line).code).toBe(code);
  });
});
