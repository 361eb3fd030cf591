import { ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";
import type { CardRead } from "../../drivers/card-reader/card-read.js";
import { SwipedTracks } from "../../payments/card/swiped-tracks.js";
import type { CardExpiry, CardSource } from "../../payments/card-processor.js";

const unusable = (why: string, read: CardRead): KioskError =>
  new KioskError(ErrorCodes.CARD_TRACK_READ_ERROR, `This swipe cannot be charged (${why}): swipe again.`, {
    maskedPan: read.maskedPan,
  });

/** "2030-12" (CardRead's form) → { month: 12, year: 2030 }. */
function expiryOf(read: CardRead): CardExpiry {
  const match = read.expiry ? /^(\d{4})-(\d{2})$/.exec(read.expiry) : null;
  if (!match) throw unusable("no expiry on the card", read);
  return { month: Number(match[2]), year: Number(match[1]) };
}

/**
 * Hands a swipe to `use` as the processor's card source: a reader-encrypted swipe as the reader
 * encrypted it; a plain-track swipe's number taken out of the reader's secrets once, and wiped when
 * `use` settles, whatever happens. The clear tracks themselves never leave the driver.
 */
export async function withSwipeSource<T>(
  read: CardRead,
  use: (source: CardSource) => Promise<T>,
): Promise<T> {
  const expiry = expiryOf(read);
  const encrypted = read.encrypted;
  if (encrypted) {
    // The ciphertext is what the processor takes; whatever the reader sent in clear is not needed.
    read.secrets.wipe();
    if (encrypted.track2 === null) throw unusable("the reader sent no encrypted track 2", read);
    return use({
      kind: "encrypted",
      payload: {
        format: encrypted.format,
        ksn: encrypted.ksn,
        encryptedTrack2: encrypted.track2,
        encryptedTrack1: encrypted.track1,
        deviceSerial: encrypted.deviceSerial,
        maskedPan: read.maskedPan,
        expiry,
      },
    });
  }
  return read.secrets.use((clear) =>
    use({
      kind: "swiped",
      card: clear.cardNumber,
      expiry,
      tracks: new SwipedTracks(clear.track1, clear.track2),
    }),
  );
}
