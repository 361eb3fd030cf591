import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { containsCardNumber, findCardNumbers, maskCardNumbers } from "./card-number-scan.js";
import { passesLuhn } from "./luhn.js";

// Public test numbers from the card networks' documentation.
const VISA = "4111111111111111";
const AMEX = "378282246310005";
const VISA_13 = "4222222222222";

/** `body` with the check digit that makes it pass Luhn. */
function withCheckDigit(body: string): string {
  for (let digit = 0; digit < 10; digit += 1) {
    if (passesLuhn(`${body}${digit}`)) return `${body}${digit}`;
  }
  throw new Error("unreachable: one check digit always fits");
}

/** Writes digits the ways people do: one block, or groups joined by spaces or dashes. */
const written = (digits: string) =>
  fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 8 }).chain((sizes) =>
    fc.constantFrom(" ", "-", "").map((separator) => {
      const groups: string[] = [];
      let at = 0;
      for (const size of sizes) {
        if (at >= digits.length) break;
        groups.push(digits.slice(at, at + size));
        at += size;
      }
      if (at < digits.length) groups.push(digits.slice(at));
      return groups.join(separator);
    }),
  );

const cardNumber = fc
  .tuple(fc.integer({ min: 12, max: 18 }), fc.integer({ min: 1, max: 9 }))
  .chain(([length, first]) =>
    fc
      .array(fc.integer({ min: 0, max: 9 }), { minLength: length - 1, maxLength: length - 1 })
      .map((rest) => withCheckDigit(`${first}${rest.join("")}`)),
  );

/** Text around a number that cannot join it: letters and punctuation, never a digit next to it. */
const words = fc.string({ unit: fc.constantFrom("a", "b", "Z", ".", ",", "é", "\n", " — "), maxLength: 12 });

describe("findCardNumbers", () => {
  it("finds the networks' test numbers, in one block, spaced or dashed, among words", () => {
    for (const digits of [VISA, AMEX, VISA_13, withCheckDigit("620000000000000000")]) {
      expect(findCardNumbers(`card ${digits} please`).map((found) => found.digits)).toEqual([digits]);
    }
    expect(containsCardNumber("4111 1111 1111 1111")).toBe(true);
    expect(containsCardNumber("3782-822463-10005")).toBe(true);
    expect(containsCardNumber("ref4111111111111111x")).toBe(true);
    const [found] = findCardNumbers("paid: 4111-1111-1111-1111.");
    expect(found).toEqual({ start: 6, end: 25, digits: VISA });
  });

  it("never reads a UUID as a card number, even when its digit groups pass Luhn, and still finds one beside it", () => {
    const id = "01a237e5-b94a-7165-9862-1026598a24ad"; // 7165-9862-1026598 passes Luhn
    expect(passesLuhn("716598621026598")).toBe(true);
    expect(findCardNumbers(`record ${id}`, { minDigits: 12 })).toEqual([]);
    expect(maskCardNumbers(`${id} ${VISA}`)).toBe(`${id} ${VISA.slice(0, 6)}******${VISA.slice(-4)}`);
  });

  it("finds a card number wedged between other numbers in one run", () => {
    expect(containsCardNumber(`call 555 0134 ${VISA.match(/.{4}/g)?.join(" ")} 2026`)).toBe(true);
  });

  it("leaves alone what is not a card number: Luhn fails, too short, too long, a masked number", () => {
    expect(containsCardNumber("4111111111111112")).toBe(false);
    expect(containsCardNumber("order 1234567890123")).toBe(false);
    expect(containsCardNumber("424242424242")).toBe(false);
    expect(containsCardNumber(`${VISA}0000`)).toBe(false);
    expect(containsCardNumber("411111******1111")).toBe(false);
    expect(containsCardNumber("check 004512, phone +1 555 0134")).toBe(false);
    expect(containsCardNumber("")).toBe(false);
  });

  it("takes 12-digit numbers only when asked", () => {
    const twelve = withCheckDigit("42424242424");
    expect(containsCardNumber(twelve)).toBe(false);
    expect(containsCardNumber(twelve, { minDigits: 12 })).toBe(true);
  });

  it("finds any Luhn-valid 13–19-digit number however it is written and wherever it sits", () => {
    fc.assert(
      fc.property(
        cardNumber.chain((digits) => fc.tuple(fc.constant(digits), written(digits))),
        words,
        words,
        ([digits, form], before, after) => {
          const found = findCardNumbers(`${before}${form}${after}`);
          expect(found.map((hit) => hit.digits)).toContain(digits);
        },
      ),
    );
  });
});

describe("maskCardNumbers", () => {
  it("keeps the first 6 and last 4 digits and the text around them", () => {
    expect(maskCardNumbers(`card ${VISA} and 3782 822463 10005.`)).toBe(
      "card 411111******1111 and 378282*****0005.",
    );
    expect(maskCardNumbers("nothing to see")).toBe("nothing to see");
  });

  it("leaves no card number behind", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            words,
            cardNumber.chain((digits) => written(digits)),
          ),
          { maxLength: 6 },
        ),
        (parts) => {
          expect(containsCardNumber(maskCardNumbers(parts.join(" ")))).toBe(false);
        },
      ),
    );
  });
});
