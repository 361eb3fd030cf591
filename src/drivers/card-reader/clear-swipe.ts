import { isKioskError } from "../../core/kiosk-error.js";
import { cardTypeFor } from "../../payments/card/card-brand.js";
import { CardNumber } from "../../payments/card/card-number.js";
import { type CardRead, expiryMonth, hasExpired, SwipeSecrets } from "./card-read.js";
import { paymentTracks } from "./payment-tracks.js";
import { type SwipeOptions, type SwipeOutcome, swipeErrors } from "./swipe-outcome.js";
import { displayName } from "./track-fields.js";
import { tokenizeTracks } from "./track-tokens.js";

/** A swipe from a reader that sends the tracks in clear (ISO 7813 tracks 1 and 2, MagTek track 3). */
export function parseClearSwipe(line: string, options: SwipeOptions): SwipeOutcome {
  const tokens = tokenizeTracks(line);
  if (tokens === null) return { ok: false, error: swipeErrors.unknownFormat("no card tracks") };
  const tracks = paymentTracks(tokens);
  if (isKioskError(tracks)) return { ok: false, error: tracks };
  const { track1, track2 } = tracks;
  if (track1 && track2 && track1.pan !== track2.pan) return { ok: false, error: swipeErrors.trackMismatch() };
  const fields = track2 ?? track1;
  if (fields === null) return { ok: false, error: swipeErrors.unknownFormat("no track 1 or track 2") };

  const cardNumber = CardNumber.parse(fields.pan);
  const expiryText = track2?.expiry ?? track1?.expiry ?? null;
  const expiry = expiryMonth(expiryText);
  if (expiryText !== null && expiry === null) {
    cardNumber.wipe();
    return { ok: false, error: swipeErrors.unknownFormat("the expiry date is not a month") };
  }
  const expired = hasExpired(expiry, options.now);
  if (expired && expiry !== null && options.rejectExpired) {
    cardNumber.wipe();
    return { ok: false, error: swipeErrors.expired(expiry, cardNumber.masked) };
  }
  const card: CardRead = {
    maskedPan: cardNumber.masked,
    brand: cardTypeFor(cardNumber.bin, options.prefixes),
    cardholderName: displayName(track1?.name ?? null),
    expiry,
    expired,
    serviceCode: track2?.serviceCode ?? track1?.serviceCode ?? null,
    entryMode: "swiped",
    tracks: tracks.decoded,
    encrypted: null,
    secrets: new SwipeSecrets({ cardNumber, track1: tracks.raw1, track2: tracks.raw2 }),
  };
  return { ok: true, card };
}
