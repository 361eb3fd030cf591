import { statSync } from "node:fs";
import { ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";

/**
 * What `central import` (and the demo's seed file) takes at most: a file is refused by its size
 * before it is read, by its rows before they are checked one by one, and each field by its length
 * and each amount by its range before anything is written.
 */
export const IMPORT_BOUNDS = {
  /** Bytes: a year of a busy studio's invoices is a few megabytes. */
  maxFileBytes: 32 * 1024 * 1024,
  /** CSV rows (one per invoice line); in JSON, invoices and clients together. */
  maxRows: 200_000,
  /** Characters in one CSV row, and columns in its header. */
  maxRowChars: 4096,
  maxColumns: 32,
  /** A catalog nests four deep ({ invoices: [ { lines: [ {…} ] } ] }); nothing needs more. */
  maxJsonNesting: 8,
  /**
   * Minor units, for a line's amount (either sign in JSON) and an invoice's total: more than any
   * studio invoice in any currency, and 500 lines of it still add up exactly.
   */
  maxAmountMinor: 10_000_000_000_000,
  maxQuantity: 100_000,
} as const;

/** The longest value of each CSV column, as the invoice schema has them. */
export const CSV_FIELD_LENGTHS: Readonly<Record<string, number>> = {
  invoice_id: 64,
  invoice_number: 32,
  client_id: 64,
  first_name: 80,
  last_name: 80,
  session_id: 64,
  currency: 3,
  line_description: 200,
  line_quantity: 6,
  line_amount: 24,
  invoice_total: 24,
};

export function tooLarge(path: string, what: string): KioskError {
  return new KioskError(
    ErrorCodes.CENTRAL_IMPORT_TOO_LARGE,
    `${path} is too large to import (${what}); nothing was imported. Split it into smaller files.`,
    { path },
  );
}

/** Refuses a file larger than the bound before a byte of it is read. */
export function checkFileSize(path: string): void {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return; // Reading it says why it cannot be read.
  }
  if (size > IMPORT_BOUNDS.maxFileBytes) {
    throw tooLarge(path, `${size} bytes, at most ${IMPORT_BOUNDS.maxFileBytes}`);
  }
}

/** A problem with an amount, or null when it is within the bounds. */
export function amountProblem(minor: number, options: { negative: boolean }): string | null {
  const max = IMPORT_BOUNDS.maxAmountMinor;
  if (!Number.isSafeInteger(minor)) return "not a whole number of minor units";
  if (minor > max || minor < (options.negative ? -max : 0)) {
    return `out of range (${options.negative ? `−${max}` : "0"} to ${max} minor units)`;
  }
  return null;
}
