import { passesLuhn } from "../payments/card/luhn.js";

/** Magnetic-stripe track 1 (%B...^NAME^...?) and track 2 (;PAN=...?), as a reader sends them. */
const TRACK_1 = /%B\d{12,19}\^[^^\r\n]{0,26}\^[^?\r\n]{0,80}\??/g;
const TRACK_2 = /;\d{12,19}=[0-9]{0,40}\??/g;
/** A run of digits that could be a card number: not part of a longer run. */
const CANDIDATE = /(?<!\d)\d{12,19}(?!\d)/g;

/**
 * Removes card data from text that came from outside — a rogue or broken client's message kept in
 * dead letters, or a parser's error quoting it: track data goes entirely, and any digit run that
 * passes Luhn keeps only its first 6 and last 4 digits (the masked form the rest of the system
 * stores). Works on bytes read as latin1, so other bytes pass through unchanged.
 */
export function redactCardData(text: string): string {
  return text
    .replace(TRACK_1, "[track data removed]")
    .replace(TRACK_2, "[track data removed]")
    .replace(CANDIDATE, (digits) =>
      passesLuhn(digits)
        ? `${digits.slice(0, 6)}${"*".repeat(digits.length - 10)}${digits.slice(-4)}`
        : digits,
    );
}

/** redactCardData over raw bytes, byte for byte outside what it removes. */
export function redactCardBytes(bytes: Uint8Array): Buffer {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
  const redacted = redactCardData(text);
  return redacted === text ? Buffer.from(bytes) : Buffer.from(redacted, "latin1");
}
