import { maskCardNumbers } from "../payments/card/card-number-scan.js";

/** Magnetic-stripe track 1 (%B...^NAME^...?) and track 2 (;PAN=...?), as a reader sends them. */
const TRACK_1 = /%B\d{12,19}\^[^^\r\n]{0,26}\^[^?\r\n]{0,80}\??/g;
const TRACK_2 = /;\d{12,19}=[0-9]{0,40}\??/g;
/**
 * Removes card data from text that came from outside — a rogue or broken client's message kept in
 * dead letters, or a parser's error quoting it: track data goes entirely, and any 12–19 digits
 * that pass Luhn, in one block or in groups joined by spaces or dashes, keep only their first 6
 * and last 4 digits (the masked form the rest of the system stores). Works on bytes read as
 * latin1, so other bytes pass through unchanged.
 */
export function redactCardData(text: string): string {
  const withoutTracks = text
    .replace(TRACK_1, "[track data removed]")
    .replace(TRACK_2, "[track data removed]");
  return maskCardNumbers(withoutTracks, { minDigits: 12 });
}

/** redactCardData over raw bytes, byte for byte outside what it removes. */
export function redactCardBytes(bytes: Uint8Array): Buffer {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
  const redacted = redactCardData(text);
  return redacted === text ? Buffer.from(bytes) : Buffer.from(redacted, "latin1");
}
