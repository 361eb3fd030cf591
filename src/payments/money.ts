import { ErrorCodes } from "../core/error-codes.js";
import { KioskError } from "../core/kiosk-error.js";

/** An ISO 4217 code such as "USD"; checked against what Intl knows. */
export type CurrencyCode = string;

/**
 * An amount of money: an integer count of the currency's minor units (cents for USD, yen for JPY,
 * fils for BHD). Never a floating-point number of major units.
 */
export interface Money {
  readonly minor: number;
  readonly currency: CurrencyCode;
}

const decimalsCache = new Map<string, number>();

/** How many minor-unit digits a currency has (JPY 0, USD 2, BHD 3), from the runtime's ICU data. */
export function currencyDecimals(currency: CurrencyCode): number {
  const cached = decimalsCache.get(currency);
  if (cached !== undefined) return cached;
  if (!/^[A-Z]{3}$/.test(currency) || !Intl.supportedValuesOf("currency").includes(currency)) {
    throw new KioskError(
      ErrorCodes.MONEY_CURRENCY_UNKNOWN,
      `Unknown currency "${currency}": use an ISO 4217 code such as USD.`,
      { currency },
    );
  }
  const digits = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions()
    .maximumFractionDigits;
  decimalsCache.set(currency, digits ?? 2);
  return digits ?? 2;
}

export function money(minor: number, currency: CurrencyCode): Money {
  if (!Number.isSafeInteger(minor)) {
    throw new KioskError(
      ErrorCodes.MONEY_NOT_INTEGER,
      `An amount must be a whole number of minor units, got ${String(minor)}.`,
      { currency },
    );
  }
  currencyDecimals(currency);
  return { minor, currency };
}

export function zero(currency: CurrencyCode): Money {
  return money(0, currency);
}

function sameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) {
    throw new KioskError(
      ErrorCodes.MONEY_CURRENCY_MISMATCH,
      `Cannot combine ${a.currency} with ${b.currency}.`,
      { left: a.currency, right: b.currency },
    );
  }
}

function checked(minor: number, currency: CurrencyCode): Money {
  if (!Number.isSafeInteger(minor)) {
    throw new KioskError(ErrorCodes.MONEY_OUT_OF_RANGE, "The sum is too large to represent exactly.", {
      currency,
    });
  }
  return { minor, currency };
}

export function add(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return checked(a.minor + b.minor, a.currency);
}

export function subtract(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return checked(a.minor - b.minor, a.currency);
}

export function sum(items: readonly Money[], currency: CurrencyCode): Money {
  return items.reduce(add, zero(currency));
}

export function compare(a: Money, b: Money): -1 | 0 | 1 {
  sameCurrency(a, b);
  return a.minor < b.minor ? -1 : a.minor > b.minor ? 1 : 0;
}

export function max(a: Money, b: Money): Money {
  return compare(a, b) >= 0 ? a : b;
}

export function negate(a: Money): Money {
  return { minor: a.minor === 0 ? 0 : -a.minor, currency: a.currency };
}

/**
 * One formatter per locale and currency (a kiosk has a handful), made once: a formatter costs tens of
 * microseconds to build, and its ICU memory is outside V8's heap, freed only when a GC happens to run.
 */
const moneyFormatters = new Map<string, Intl.NumberFormat>();

/** Formats for people, e.g. "$1,234.50" in en-US or "1.234,50 US$" in es-ES. */
export function formatMoney(amount: Money, locale: string): string {
  const key = `${locale} ${amount.currency}`;
  let formatter = moneyFormatters.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat(locale, { style: "currency", currency: amount.currency });
    moneyFormatters.set(key, formatter);
  }
  // Intl formats an exact decimal string as it is, so no binary fraction ever enters the formatting.
  return formatter.format(toDecimalString(amount) as Intl.StringNumericLiteral);
}

/**
 * Reads what a person typed ("12", "12.5", "1,234.50") as an exact amount. Refuses more decimals
 * than the currency has, signs, and anything that is not a plain number.
 */
export function parseMoney(text: string, currency: CurrencyCode): Money {
  const decimals = currencyDecimals(currency);
  const cleaned = text.trim().replace(/,/g, "");
  const match = /^(\d{1,13})(?:\.(\d*))?$/.exec(cleaned);
  const fraction = match?.[2] ?? "";
  if (!match || fraction.length > decimals) {
    throw new KioskError(
      ErrorCodes.MONEY_UNPARSABLE,
      `"${text.slice(0, 20)}" is not an amount in ${currency}: use digits and at most ${decimals} decimals.`,
      { currency },
    );
  }
  const whole = match[1] ?? "0";
  const minor = Number(whole) * 10 ** decimals + Number(fraction.padEnd(decimals, "0") || "0");
  return money(minor, currency);
}

/** The amount as a plain decimal string in major units ("12.50"), exact; for receipts and CSV. */
export function toDecimalString(amount: Money): string {
  const decimals = currencyDecimals(amount.currency);
  const sign = amount.minor < 0 ? "-" : "";
  const digits = Math.abs(amount.minor)
    .toString()
    .padStart(decimals + 1, "0");
  if (decimals === 0) return `${sign}${digits}`;
  return `${sign}${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}
