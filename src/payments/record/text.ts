import { z } from "zod";
import { containsCardNumber } from "../card/card-number-scan.js";

/** An unpaired UTF-16 surrogate: JSON carries it as an escape that PostgreSQL refuses. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const SURROGATE = /[\uD800-\uDFFF]/;

/** Text both databases can hold: PostgreSQL's text and jsonb refuse NUL and unpaired surrogates. */
export function isStorableText(value: string): boolean {
  // Most text has no surrogate at all: the cheap test first (this runs for every string of every record).
  return !value.includes("\u0000") && !(SURROGATE.test(value) && LONE_SURROGATE.test(value));
}

/** Text of `min`–`max` characters that both databases can hold. */
export const text = (max: number, min = 0) =>
  z.string().min(min).max(max).refine(isStorableText, "text without NUL characters or unpaired surrogates");

/** The message of a free-text field holding a card number. Never the text itself: that is the card number. */
export const CARD_NUMBER_IN_TEXT = "holds what looks like a full card number: keep only its last 4 digits";

/**
 * Text a person typed or a processor wrote (a note, a reference, a check number, a decline code):
 * scanned for full card numbers, which may never be stored or sent in clear.
 */
export const freeText = (max: number) =>
  text(max).refine((value) => !containsCardNumber(value), CARD_NUMBER_IN_TEXT);
