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

/**
 * A moment's time of day ("2:05 PM"), with its date when `date` is given, on the studio's clock: the
 * studio's time zone from the kiosk's configuration, whatever zone the browser's machine is set to.
 */
export function formatTime(
  iso: string,
  locale: string,
  timeZone: string,
  date: "short" | "medium" | null = null,
): string {
  return new Intl.DateTimeFormat(locale, {
    ...(date ? { dateStyle: date } : {}),
    timeStyle: "short",
    timeZone,
  }).format(new Date(iso));
}

/** A moment as the screen says it: the time alone on the studio's today, with the date on another day. */
export function formatMoment(iso: string, locale: string, timeZone: string, now: Date = new Date()): string {
  const day = new Intl.DateTimeFormat("en-CA", { timeZone, dateStyle: "short" });
  const today = day.format(new Date(iso)) === day.format(now);
  return formatTime(iso, locale, timeZone, today ? null : "medium");
}
