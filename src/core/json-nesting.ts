const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;

/**
 * How deeply the arrays and objects of a JSON text nest, read from its bytes in one pass without
 * parsing it and without recursion, so a hostile message costs its length and no stack. Brackets
 * inside strings do not count (UTF-8 continuation bytes are all ≥ 0x80, so bytes are enough).
 * Counting stops past `limit`: the answer is then `limit + 1`. Malformed JSON is JSON.parse's to
 * refuse; this only says whether parsing it is safe.
 */
export function jsonNestingDepth(bytes: Uint8Array, limit: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < bytes.length; index += 1) {
    const byte = bytes[index];
    if (inString) {
      if (byte === BACKSLASH) index += 1;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) {
      inString = true;
    } else if (byte === OPEN_ARRAY || byte === OPEN_OBJECT) {
      depth += 1;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > limit) return limit + 1;
      }
    } else if (byte === CLOSE_ARRAY || byte === CLOSE_OBJECT) {
      depth = Math.max(0, depth - 1);
    }
  }
  return deepest;
}

/** Whether a JSON text nests deeper than `limit` (see jsonNestingDepth); a string is read as its UTF-8 bytes. */
export function jsonNestingExceeds(text: string | Uint8Array, limit: number): boolean {
  return jsonNestingDepth(typeof text === "string" ? Buffer.from(text, "utf8") : text, limit) > limit;
}
