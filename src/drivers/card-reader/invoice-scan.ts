import { ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";
import { passesLuhn } from "../../payments/card/luhn.js";

/** An invoice barcode or QR code read by the scanner. */
export interface InvoiceScan {
  readonly invoiceNumber: string;
  /** "code": the code held the number itself; "url": a link that holds it. */
  readonly source: "code" | "url";
}

export interface ScanOptions {
  /** What an invoice number looks like (Spectra's are short and alphanumeric). */
  readonly invoicePattern: RegExp;
  /** Query parameters that may carry the number in a link, tried in order. */
  readonly queryKeys: readonly string[];
}

export const DEFAULT_SCAN_OPTIONS: ScanOptions = {
  invoicePattern: /^[A-Za-z0-9][A-Za-z0-9-]{0,31}$/,
  queryKeys: ["invoice", "invoiceNumber", "invoice_number", "inv", "number"],
};

export type ScanOutcome =
  | { readonly ok: true; readonly scan: InvoiceScan }
  | { readonly ok: false; readonly error: KioskError };

const unrecognized = (why: string): ScanOutcome => ({
  ok: false,
  error: new KioskError(
    ErrorCodes.SCAN_UNRECOGNIZED,
    `That code does not hold an invoice number (${why}): scan the QR code or barcode printed on the invoice.`,
  ),
});

/** 13–19 digits that pass Luhn could be a card number; never treat (or echo) one as an invoice. */
function mightBeCardNumber(text: string): boolean {
  const digits = text.replace(/[\s-]/g, "");
  return /^\d{13,19}$/.test(digits) && passesLuhn(digits);
}

function fromUrl(text: string, options: ScanOptions): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return null;
  for (const key of options.queryKeys) {
    const value = url.searchParams.get(key);
    if (value !== null && options.invoicePattern.test(value)) return value;
  }
  const segments = url.pathname.split("/").filter((segment) => segment.length > 0);
  const last = segments.at(-1);
  if (last === undefined) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(last);
  } catch {
    return null;
  }
  return options.invoicePattern.test(decoded) ? decoded : null;
}

/**
 * Reads one line from a barcode/QR scanner: the invoice number itself, or an http(s) link holding it
 * in a query parameter or as the last path segment. An AIM symbology prefix (`]Q1`, `]C0`) that
 * some scanners add is dropped. Never throws.
 */
export function parseScan(line: string, options: ScanOptions = DEFAULT_SCAN_OPTIONS): ScanOutcome {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: scanners frame output with STX/ETX.
  let text = line.replace(/^[\s\x00-\x1f]+|[\s\x00-\x1f]+$/g, "");
  if (/^\][A-Za-z][0-9A-Za-z]/.test(text)) text = text.slice(3);
  if (text.length === 0) return unrecognized("it is empty");
  if (/^[%;+]/.test(text) || text.includes("|")) {
    return {
      ok: false,
      error: new KioskError(
        ErrorCodes.SCAN_LOOKS_LIKE_CARD,
        "The scanner sent what looks like card data: cards go through the card reader, not the scanner.",
      ),
    };
  }
  if (mightBeCardNumber(text)) {
    return {
      ok: false,
      error: new KioskError(
        ErrorCodes.SCAN_LOOKS_LIKE_CARD,
        "That code holds what could be a card number, so it is not used: scan the invoice's code.",
      ),
    };
  }
  if (options.invoicePattern.test(text)) return { ok: true, scan: { invoiceNumber: text, source: "code" } };
  if (/^https?:\/\//i.test(text)) {
    const invoiceNumber = fromUrl(text, options);
    if (invoiceNumber !== null && !mightBeCardNumber(invoiceNumber)) {
      return { ok: true, scan: { invoiceNumber, source: "url" } };
    }
    return unrecognized("a link without an invoice number");
  }
  return unrecognized("not an invoice number");
}
