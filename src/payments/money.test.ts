import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { expectKioskError } from "../../test/helpers/kiosk-error.js";
import { ErrorCodes } from "../core/error-codes.js";
import {
  add,
  currencyDecimals,
  formatMoney as format,
  type Money,
  money,
  parseMoney,
  subtract,
  sum,
  toDecimalString,
} from "./money.js";

describe("money", () => {
  it("knows each currency's minor units from ISO 4217", () => {
    expect(currencyDecimals("JPY")).toBe(0);
    expect(currencyDecimals("USD")).toBe(2);
    expect(currencyDecimals("BHD")).toBe(3);
    expectKioskError(() => currencyDecimals("XYZ1"), ErrorCodes.MONEY_CURRENCY_UNKNOWN);
    expectKioskError(() => currencyDecimals("QQQ"), ErrorCodes.MONEY_CURRENCY_UNKNOWN);
  });

  it("refuses fractions of a minor unit and unsafe integers", () => {
    expectKioskError(() => money(10.5, "USD"), ErrorCodes.MONEY_NOT_INTEGER);
    expectKioskError(() => money(Number.NaN, "USD"), ErrorCodes.MONEY_NOT_INTEGER);
    expectKioskError(() => money(2 ** 53, "USD"), ErrorCodes.MONEY_NOT_INTEGER);
  });

  it("never combines two currencies", () => {
    expectKioskError(() => add(money(1, "USD"), money(1, "EUR")), ErrorCodes.MONEY_CURRENCY_MISMATCH);
  });

  it("refuses a sum too large to be exact", () => {
    expectKioskError(
      () => add(money(Number.MAX_SAFE_INTEGER, "USD"), money(1, "USD")),
      ErrorCodes.MONEY_OUT_OF_RANGE,
    );
  });

  it("parses typed amounts exactly, with the currency's decimals", () => {
    expect(parseMoney("12.34", "USD")).toEqual({ minor: 1234, currency: "USD" });
    expect(parseMoney("0.1", "USD").minor).toBe(10);
    expect(parseMoney("1,234.5", "USD").minor).toBe(123450);
    expect(parseMoney("1500", "JPY").minor).toBe(1500);
    expect(parseMoney("1.005", "BHD").minor).toBe(1005);
    expectKioskError(() => parseMoney("1.5", "JPY"), ErrorCodes.MONEY_UNPARSABLE);
    expectKioskError(() => parseMoney("1.234", "USD"), ErrorCodes.MONEY_UNPARSABLE);
    expectKioskError(() => parseMoney("-5", "USD"), ErrorCodes.MONEY_UNPARSABLE);
    expectKioskError(() => parseMoney("1e3", "USD"), ErrorCodes.MONEY_UNPARSABLE);
    expectKioskError(() => parseMoney("", "USD"), ErrorCodes.MONEY_UNPARSABLE);
  });

  it("formats with Intl for the locale, from an exact decimal", () => {
    const formatMoney = (amount: Money, locale: string): string => format(amount, locale).replace(/\s/g, " ");
    expect(formatMoney(money(123450, "USD"), "en-US")).toBe("$1,234.50");
    expect(formatMoney(money(1500, "JPY"), "en-US")).toBe("¥1,500");
    expect(formatMoney(money(1005, "BHD"), "en-US")).toBe("BHD 1.005");
    expect(formatMoney(money(123450, "EUR"), "es-ES")).toBe("1234,50 €");
    expect(formatMoney(money(-5, "USD"), "en-US")).toBe("-$0.05");
    // 0.1 + 0.2 style errors cannot happen: the amount never becomes a binary fraction.
    expect(formatMoney(money(30, "USD"), "en-US")).toBe("$0.30");
  });

  it("sums exactly: the total of any amounts equals their BigInt total", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }), { maxLength: 200 }),
        (values) => {
          const total = sum(
            values.map((value) => money(value, "USD")),
            "USD",
          );
          expect(BigInt(total.minor)).toBe(values.reduce((acc, value) => acc + BigInt(value), 0n));
        },
      ),
    );
  });

  it("round-trips through its decimal string", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 ** 12 }),
        fc.constantFrom("USD", "JPY", "BHD"),
        (minor, currency) => {
          const amount = money(minor, currency);
          expect(parseMoney(toDecimalString(amount), currency)).toEqual(amount);
          expect(subtract(add(amount, amount), amount)).toEqual(amount);
        },
      ),
    );
  });
});
