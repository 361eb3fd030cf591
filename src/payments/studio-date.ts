import { ErrorCodes } from "../core/error-codes.js";
import { KioskError } from "../core/kiosk-error.js";

/** A calendar date in the studio's time zone, as "YYYY-MM-DD" (compares correctly as a string). */
export type StudioDate = string;

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isStudioDate(value: string): boolean {
  const match = DATE_PATTERN.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const probe = new Date(Date.UTC(year, month - 1, day));
  return probe.getUTCFullYear() === year && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day;
}

export function parseStudioDate(value: string, field: string): StudioDate {
  if (!isStudioDate(value)) {
    throw new KioskError(
      ErrorCodes.PAYMENT_DATE_INVALID,
      `${field} must be a real date written YYYY-MM-DD.`,
      {
        field,
      },
    );
  }
  return value;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

const MINUTE_MS = 60_000;
const todayCache = new Map<string, { minute: number; date: StudioDate }>();

/**
 * The date it is now at the studio: a payment taken at 23:30 in Denver is dated that day, not UTC's.
 * Time zones change offset only on whole minutes, so the answer is kept for the minute.
 */
export function studioToday(now: Date, timeZone: string): StudioDate {
  const minute = Math.floor(now.getTime() / MINUTE_MS);
  const cached = todayCache.get(timeZone);
  if (cached?.minute === minute) return cached.date;
  const date = formatStudioDate(now, timeZone);
  todayCache.set(timeZone, { minute, date });
  return date;
}

function formatStudioDate(now: Date, timeZone: string): StudioDate {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    });
    formatters.set(timeZone, formatter);
  }
  const parts = Object.fromEntries(formatter.formatToParts(now).map((part) => [part.type, part.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone });
    return true;
  } catch {
    return false;
  }
}
