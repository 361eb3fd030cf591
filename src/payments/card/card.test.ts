import { inspect } from "node:util";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { expectKioskError } from "../../../test/helpers/kiosk-error.js";
import { ErrorCodes } from "../../core/error-codes.js";
import { cardTypeFor, DEFAULT_CARD_PREFIXES } from "./card-brand.js";
import { CardNumber } from "./card-number.js";
import { passesLuhn } from "./luhn.js";
import { type MaskedPan, parseMaskedPan } from "./masked-pan.js";

// Public test numbers from the card networks' documentation.
const VISA = "4111111111111111";
const AMEX = "378282246310005";
const MASTERCARD_2_SERIES = "2223003122003222";

describe("Luhn", () => {
  it("accepts valid numbers and refuses a changed digit", () => {
    expect(passesLuhn(VISA)).toBe(true);
    expect(passesLuhn(AMEX)).toBe(true);
    expect(passesLuhn("4111111111111112")).toBe(false);
    expect(passesLuhn("41111111111111x1")).toBe(false);
    expect(passesLuhn("")).toBe(false);
  });

  it("catches every single-digit error", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 1, max: 9 }), (position, delta) => {
        const digits = [...VISA];
        digits[position] = String((Number(digits[position]) + delta) % 10);
        expect(passesLuhn(digits.join(""))).toBe(false);
      }),
    );
  });
});

describe("card numbers", () => {
  it("masks to first 6 and last 4 in every text form", () => {
    const card = CardNumber.parse("4111 1111 1111 1111");
    expect(card.masked).toBe("411111******1111");
    expect(String(card)).toBe("411111******1111");
    expect(JSON.stringify({ card })).toBe('{"card":"411111******1111"}');
    expect(inspect(card)).not.toContain(VISA);
    expect(`${card}`).not.toContain(VISA);
  });

  it("is forgotten after wipe()", () => {
    const card = CardNumber.parse(VISA);
    expect(card.digits()).toBe(VISA);
    card.wipe();
    expect(card.wiped).toBe(true);
    expectKioskError(() => card.digits(), ErrorCodes.CARD_NUMBER_INVALID);
  });

  it("refuses bad numbers without repeating them", () => {
    const error = expectKioskError(() => CardNumber.parse("4111111111111112"), ErrorCodes.CARD_LUHN_FAILED);
    expect(JSON.stringify(error.toJSON())).not.toContain("4111111111111112");
    expectKioskError(() => CardNumber.parse("1234"), ErrorCodes.CARD_NUMBER_INVALID);
  });

  it("is not a MaskedPan: storage and sync cannot be handed a full number", () => {
    const card = CardNumber.parse(VISA);
    const store = (masked: MaskedPan): string => masked;
    // @ts-expect-error a CardNumber is not a MaskedPan
    store(card);
    // @ts-expect-error nor is a plain string of digits
    store(VISA);
    expect(store(card.masked)).toBe("411111******1111");
  });

  it("parses masked numbers and refuses anything else", () => {
    expect(parseMaskedPan("378282*****0005")).toBe("378282*****0005");
    expectKioskError(() => parseMaskedPan(VISA), ErrorCodes.CARD_MASKED_PAN_INVALID);
    expectKioskError(() => parseMaskedPan("4111****1111"), ErrorCodes.CARD_MASKED_PAN_INVALID);
  });
});

describe("card type from the prefix table", () => {
  it("maps prefixes and ranges, longest match first", () => {
    expect(cardTypeFor("411111", DEFAULT_CARD_PREFIXES)).toBe("Visa");
    expect(cardTypeFor("378282", DEFAULT_CARD_PREFIXES)).toBe("American Express");
    expect(cardTypeFor(MASTERCARD_2_SERIES.slice(0, 6), DEFAULT_CARD_PREFIXES)).toBe("Mastercard");
    expect(cardTypeFor("601100", DEFAULT_CARD_PREFIXES)).toBe("Discover");
    expect(cardTypeFor("999999", DEFAULT_CARD_PREFIXES)).toBeNull();
    const studio = [
      { prefix: "6", cardType: "Other Six" },
      { prefix: "6011", cardType: "Discover" },
    ];
    expect(cardTypeFor("601100", studio)).toBe("Discover");
    expect(cardTypeFor("620000", studio)).toBe("Other Six");
  });
});
