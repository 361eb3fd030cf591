import { describe, expect, it } from "vitest";
import { expectKioskError } from "../../../test/helpers/kiosk-error.js";
import { ErrorCodes } from "../../core/error-codes.js";
import { CardNumber } from "./card-number.js";
import { passesLuhn } from "./luhn.js";
import { maskDigits } from "./masked-pan.js";
import { testCardNumber } from "./test-card-number.js";

describe("testCardNumber", () => {
  it.each([
    "411111******1111",
    "424242******4242",
    "378282*****0005",
    "380000****0006",
    "422222***2222",
    "400000******0002",
    "555555******4444",
    "601111*********1117",
    "411111**1111",
  ])("makes a Luhn-valid number whose masked form is %s", (masked) => {
    const number = testCardNumber(masked);
    expect(number).toMatch(/^\d+$/);
    expect(passesLuhn(number)).toBe(true);
    expect(maskDigits(number)).toBe(masked);
    expect(CardNumber.parse(number).masked).toBe(masked);
  });

  it("makes the same number every time, zeros hidden but the digit before the last 4", () => {
    expect(testCardNumber("411111******1111")).toBe(testCardNumber("411111******1111"));
    expect(testCardNumber("411111******1111")).toMatch(/^41111100000\d1111$/);
  });

  it.each([
    "",
    "1234567890123456",
    "41111*******1111",
    "411111*1111",
    "411111**********1111",
    "411111******111x",
  ])("refuses %j, which is no masked card number", (text) => {
    expectKioskError(() => testCardNumber(text), ErrorCodes.CARD_MASKED_PAN_INVALID);
  });
});
