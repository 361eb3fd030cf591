import type { MoneyView } from "../flows/money-view.js";

const DECIMALS: Record<string, number> = {};

function decimals(currency: string): number {
  DECIMALS[currency] ??=
    new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return DECIMALS[currency] ?? 2;
}

/** Minor units → an exact decimal string ("12345" cents → "123.45"), never through a float. */
function exactDecimal(money: MoneyView): string {
  const places = decimals(money.currency);
  const sign = money.minor < 0 ? "-" : "";
  const digits = String(Math.abs(money.minor)).padStart(places + 1, "0");
  return places === 0 ? `${sign}${digits}` : `${sign}${digits.slice(0, -places)}.${digits.slice(-places)}`;
}

export function formatMoney(money: MoneyView, locale: string): string {
  return new Intl.NumberFormat(locale, { style: "currency", currency: money.currency }).format(
    exactDecimal(money) as unknown as number,
  );
}

/** A moment as the screen says it: the time alone today, with the date on another day. */
export function formatMoment(iso: string, locale: string, now: Date = new Date()): string {
  const at = new Date(iso);
  const today = at.toDateString() === now.toDateString();
  return new Intl.DateTimeFormat(
    locale,
    today ? { timeStyle: "short" } : { dateStyle: "medium", timeStyle: "short" },
  ).format(at);
}

export function formatDate(iso: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium" }).format(new Date(iso));
}
