import { ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";
import type { CardRead } from "./card-read.js";
import { type InvoiceScan, parseScan, type ScanOptions } from "./invoice-scan.js";
import { parseSwipe, type SwipeOptions } from "./swipe-parser.js";

/** What a line device is for: a card reader, a barcode/QR scanner, or a combined unit. */
export type LineRole = "cards" | "scans" | "both";

/** What one line from the device means. */
export type LineEvent =
  | { readonly type: "cardRead"; readonly card: CardRead }
  | { readonly type: "cardRejected"; readonly error: KioskError }
  | { readonly type: "invoiceScan"; readonly scan: InvoiceScan }
  | { readonly type: "scanRejected"; readonly error: KioskError };

export interface LineContext {
  readonly role: LineRole;
  readonly swipe: SwipeOptions;
  readonly scan: ScanOptions;
  /** Lines longer than this are refused unread (the transport stops buffering past it too). */
  readonly maxLineLength: number;
}

function looksLikeSwipe(line: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: readers frame output with STX/ETX.
  return /^[\s\x00-\x1f]*[%;+]/.test(line) || line.includes("|");
}

function tooLong(maxLineLength: number): KioskError {
  return new KioskError(
    ErrorCodes.READER_LINE_TOO_LONG,
    `The device sent a line longer than ${maxLineLength} characters, so it was dropped unread: check the device's settings and line ending.`,
    { maxLineLength },
  );
}

/**
 * Turns one line into one event, or null for a blank line (a reader's CR LF split on CR). Never
 * throws: the parsers return coded rejections, and this is the one place the driver calls.
 */
export function routeLine(line: string, context: LineContext): LineEvent | null {
  const asCard = context.role === "cards" || (context.role === "both" && looksLikeSwipe(line));
  if (line.length > context.maxLineLength) {
    return {
      type: asCard || context.role === "both" ? "cardRejected" : "scanRejected",
      error: tooLong(context.maxLineLength),
    };
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: blank means only whitespace and framing.
  if (/^[\s\x00-\x1f]*$/.test(line)) return null;
  if (asCard) {
    const outcome = parseSwipe(line, context.swipe);
    return outcome.ok
      ? { type: "cardRead", card: outcome.card }
      : { type: "cardRejected", error: outcome.error };
  }
  const outcome = parseScan(line, context.scan);
  return outcome.ok
    ? { type: "invoiceScan", scan: outcome.scan }
    : { type: "scanRejected", error: outcome.error };
}
