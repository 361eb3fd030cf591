import type { KioskError } from "../../core/kiosk-error.js";
import { swipeErrors } from "./swipe-outcome.js";
import { readTrack1, readTrack2, type TrackFields } from "./track-fields.js";
import type { TrackNumber, TrackToken } from "./track-tokens.js";

export interface PaymentTracks {
  readonly track1: TrackFields | null;
  readonly track2: TrackFields | null;
  /** The data of each track as read, for a processor that wants tracks; in memory only. */
  readonly raw1: string | null;
  readonly raw2: string | null;
  /** The tracks the reader decoded (including a track 3 we do not use). */
  readonly decoded: readonly TrackNumber[];
}

/**
 * Tracks 1 and 2 of a tokenized swipe, or why it cannot be a payment card. A track the reader
 * could not decode is tolerated when the other payment track was read; track 3 is never needed.
 */
export function paymentTracks(tokens: readonly TrackToken[]): PaymentTracks | KioskError {
  let track1: TrackFields | null = null;
  let track2: TrackFields | null = null;
  let raw1: string | null = null;
  let raw2: string | null = null;
  let errors = 0;
  for (const token of tokens) {
    if (token.status === "error") {
      if (token.track !== 3) errors += 1;
    } else if (token.track === 1) {
      track1 = readTrack1(token.data);
      if (track1 === null) return swipeErrors.unknownFormat("track 1 is not in the bank card format");
      raw1 = token.data;
    } else if (token.track === 2) {
      track2 = readTrack2(token.data);
      if (track2 === null) return swipeErrors.unknownFormat("track 2 is not in the bank card format");
      raw2 = token.data;
    }
  }
  if (track1 === null && track2 === null) {
    return errors > 0 ? swipeErrors.readError() : swipeErrors.unknownFormat("no track 1 or track 2");
  }
  const decoded = tokens.filter((token) => token.status === "read").map((token) => token.track);
  return { track1, track2, raw1, raw2, decoded };
}
