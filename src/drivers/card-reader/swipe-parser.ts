import { isKioskError, KioskError } from "../../core/kiosk-error.js";
import { parseClearSwipe } from "./clear-swipe.js";
import { parseMagneSafe } from "./magnesafe.js";
import { type SwipeOptions, type SwipeOutcome, swipeErrors } from "./swipe-outcome.js";

export type { SwipeOptions, SwipeOutcome } from "./swipe-outcome.js";

/**
 * Reads one line from a card reader: clear ISO 7813 tracks, or MagTek MagneSafe's `|`-delimited
 * encrypted output (`|` is outside every track alphabet, so it tells the two apart). Never throws:
 * anything unexpected becomes a coded rejection, and no rejection carries the line or a card number
 * (at most the masked number).
 */
export function parseSwipe(line: string, options: SwipeOptions): SwipeOutcome {
  try {
    return line.includes("|") ? parseMagneSafe(line, options) : parseClearSwipe(line, options);
  } catch (error) {
    // Rebuilt so no stack or cause that saw the line travels on.
    if (isKioskError(error))
      return { ok: false, error: new KioskError(error.code, error.detail, error.context) };
    return { ok: false, error: swipeErrors.unknownFormat("unreadable") };
  }
}
