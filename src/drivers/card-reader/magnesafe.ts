import { isKioskError } from "../../core/kiosk-error.js";
import { cardTypeFor } from "../../payments/card/card-brand.js";
import { type MaskedPan, parseMaskedPan } from "../../payments/card/masked-pan.js";
import { type CardRead, type EncryptedSwipe, expiryMonth, hasExpired, SwipeSecrets } from "./card-read.js";
import { paymentTracks } from "./payment-tracks.js";
import { type SwipeOptions, type SwipeOutcome, swipeErrors } from "./swipe-outcome.js";
import { displayName } from "./track-fields.js";
import { tokenizeTracks } from "./track-tokens.js";

/**
 * MagTek MagneSafe readers (Dynamag, eDynamo, ...) in their ASCII output send one line of fields
 * separated by `|`:
 *
 *   0 masked tracks · 1 encryption status · 2–4 encrypted tracks 1–3 (hex) · 5 MagnePrint status ·
 *   6 encrypted MagnePrint (hex) · 7 device serial · 8 encrypted session id · 9 KSN (DUKPT key
 *   serial number) · then, on some firmware, clear-text CRC, encrypted CRC and a format code.
 *
 * The masked tracks go to the screen; the ciphertext and KSN go to the processor, which holds the
 * key to decrypt them. Nothing here is ever in clear, so no card number is held.
 */
const FIELD = {
  masked: 0,
  encryptionStatus: 1,
  track1: 2,
  track2: 3,
  track3: 4,
  magnePrintStatus: 5,
  magnePrint: 6,
  deviceSerial: 7,
  ksn: 9,
} as const;

const MAX_FIELDS = 16;
const HEX = /^(?:[0-9A-Fa-f]{2}){1,1024}$/;

function hexOrNull(text: string | undefined): string | null | false {
  if (text === undefined || text === "") return null;
  return HEX.test(text) ? text.toUpperCase() : false;
}

/** "4111 11** **** 1111"-style masked digits (mask `*` or `0`) → a MaskedPan, when 6 + 4 are shown. */
function maskedPanFrom(pan: string): MaskedPan | null {
  const match = /^(\d{6})[\d*]{2,9}(\d{4})$/.exec(pan);
  if (!match?.[1] || !match[2]) return null;
  try {
    return parseMaskedPan(`${match[1]}${"*".repeat(pan.length - 10)}${match[2]}`);
  } catch {
    return null;
  }
}

function encryptedPart(fields: readonly string[]): EncryptedSwipe | null {
  const track1 = hexOrNull(fields[FIELD.track1]);
  const track2 = hexOrNull(fields[FIELD.track2]);
  const track3 = hexOrNull(fields[FIELD.track3]);
  const magnePrint = hexOrNull(fields[FIELD.magnePrint]);
  const ksn = fields[FIELD.ksn] ?? "";
  const status = fields[FIELD.encryptionStatus] ?? "";
  const mpStatus = fields[FIELD.magnePrintStatus] ?? "";
  const serial = fields[FIELD.deviceSerial] ?? "";
  if (track1 === false || track2 === false || track3 === false || magnePrint === false) return null;
  // DUKPT KSNs are 10 bytes (TDES) or 12 (AES).
  if (!/^(?:[0-9A-Fa-f]{20}|[0-9A-Fa-f]{24})$/.test(ksn)) return null;
  if (!/^[0-9A-Fa-f]{0,8}$/.test(status) || !/^[0-9A-Fa-f]{0,16}$/.test(mpStatus)) return null;
  if (!/^[A-Za-z0-9]{0,32}$/.test(serial)) return null;
  return {
    format: "magtek-magnesafe",
    ksn: ksn.toUpperCase(),
    encryptionStatus: status.toUpperCase(),
    track1,
    track2,
    track3,
    magnePrint,
    magnePrintStatus: mpStatus === "" ? null : mpStatus.toUpperCase(),
    deviceSerial: serial === "" ? null : serial,
  };
}

export function parseMagneSafe(line: string, options: SwipeOptions): SwipeOutcome {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: readers frame output with STX/ETX.
  const fields = line.replace(/^[\s\x00-\x1f]+|[\s\x00-\x1f]+$/g, "").split("|");
  if (fields.length <= FIELD.ksn || fields.length > MAX_FIELDS) {
    return {
      ok: false,
      error: swipeErrors.unknownFormat(`a MagneSafe line has 10 or more fields, not ${fields.length}`),
    };
  }
  const tokens = tokenizeTracks(fields[FIELD.masked] ?? "", { masked: true });
  if (tokens === null)
    return { ok: false, error: swipeErrors.unknownFormat("the masked tracks are not card tracks") };
  const tracks = paymentTracks(tokens);
  if (isKioskError(tracks)) return { ok: false, error: tracks };
  const encrypted = encryptedPart(fields);
  if (encrypted === null)
    return { ok: false, error: swipeErrors.unknownFormat("the encrypted fields are malformed") };
  const track1Read = tracks.track1 !== null && encrypted.track1 !== null;
  const track2Read = tracks.track2 !== null && encrypted.track2 !== null;
  if (!track1Read && !track2Read) return { ok: false, error: swipeErrors.readError() };

  const { track1, track2 } = tracks;
  const masked1 = track1 ? maskedPanFrom(track1.pan) : null;
  const masked2 = track2 ? maskedPanFrom(track2.pan) : null;
  if ((track1 && masked1 === null) || (track2 && masked2 === null)) {
    return {
      ok: false,
      error: swipeErrors.unknownFormat(
        "the masked number must show the first 6 and last 4 digits: set the reader so",
      ),
    };
  }
  if (masked1 && masked2 && masked1 !== masked2) return { ok: false, error: swipeErrors.trackMismatch() };
  const maskedPan = masked2 ?? masked1;
  if (maskedPan === null) return { ok: false, error: swipeErrors.unknownFormat("no masked card number") };

  // A reader may mask the expiry too ("****" or "0000"): then it is unknown, not wrong.
  const expiry = expiryMonth(track2?.expiry ?? track1?.expiry ?? null);
  const expired = hasExpired(expiry, options.now);
  if (expired && expiry !== null && options.rejectExpired) {
    return { ok: false, error: swipeErrors.expired(expiry, maskedPan) };
  }
  const card: CardRead = {
    maskedPan,
    brand: cardTypeFor(maskedPan.slice(0, 6), options.prefixes),
    cardholderName: displayName(track1?.name ?? null),
    expiry,
    expired,
    serviceCode: track2?.serviceCode ?? track1?.serviceCode ?? null,
    entryMode: "swiped",
    tracks: tracks.decoded,
    encrypted,
    secrets: new SwipeSecrets(undefined),
  };
  return { ok: true, card };
}
