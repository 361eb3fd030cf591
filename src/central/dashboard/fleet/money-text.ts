import { currencyDecimals } from "../../../payments/money.js";

/**
 * An amount in minor units as an exact decimal string in major units ("-1234.50"). Works on
 * BigInt, so a bigint column read as text ("123456789012345678") is never a float on the way.
 * Null when the currency is not one the runtime knows (the minor units are still exported).
 */
export function decimalAmount(minor: bigint | number | string, currency: string): string | null {
  let decimals: number;
  try {
    decimals = currencyDecimals(currency);
  } catch {
    return null;
  }
  const value = BigInt(minor);
  const sign = value < 0n ? "-" : "";
  const digits = (value < 0n ? -value : value).toString().padStart(decimals + 1, "0");
  return decimals === 0
    ? `${sign}${digits}`
    : `${sign}${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}

/** For people: "1,234.50 USD" (grouped, exact, from the decimal string). */
export function displayAmount(minor: bigint | number | string, currency: string): string {
  const decimal = decimalAmount(minor, currency);
  if (decimal === null) return `${String(minor)} (minor units) ${currency}`;
  const [whole = "", fraction] = decimal.split(".");
  const sign = whole.startsWith("-") ? "-" : "";
  const grouped = whole.replace("-", "").replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${sign}${grouped}${fraction !== undefined ? `.${fraction}` : ""} ${currency}`;
}
