import { z } from "zod";
import { isStudioDate } from "../studio-date.js";
import { FIRST_DATE, LAST_DATE } from "./bounds.js";
import { text } from "./text.js";

/** A record's, invoice's, client's, session's or shift's id. */
export const idValue = text(64, 1);

const inRange = (date: string): boolean => date >= FIRST_DATE && date <= LAST_DATE;

export const studioDateValue = z
  .string()
  .refine(
    (value) => isStudioDate(value) && inRange(value),
    `a date written YYYY-MM-DD, ${FIRST_DATE} to ${LAST_DATE}`,
  );

const INSTANT_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * An instant exactly as Date.toISOString writes it (UTC, milliseconds), which every kiosk sends: one
 * spelling per instant, so it comes back from PostgreSQL's timestamptz letter for letter.
 */
export function isInstant(value: string): boolean {
  if (!INSTANT_PATTERN.test(value) || !inRange(value.slice(0, 10))) return false;
  const time = Date.parse(value);
  return Number.isFinite(time) && new Date(time).toISOString() === value;
}

export const instantValue = z
  .string()
  .refine(isInstant, `a UTC time written YYYY-MM-DDTHH:MM:SS.sssZ, ${FIRST_DATE} to ${LAST_DATE}`);

export const currencyValue = z.string().regex(/^[A-Z]{3}$/, "an ISO 4217 currency code");

/** Money within a range of whole minor units. */
export const moneyValue = (range: { readonly min: number; readonly max: number }) =>
  z.strictObject({ minor: z.number().int().min(range.min).max(range.max), currency: currencyValue });

export type MoneyValueSchema = ReturnType<typeof moneyValue>;
