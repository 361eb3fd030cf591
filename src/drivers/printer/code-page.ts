import iconv from "iconv-lite";

/**
 * The ESC/POS character code tables a receipt can be printed in, with the `n` of `ESC t n` that
 * selects each (Epson ESC/POS reference, "ESC t"). CP858 is CP850 with "€" at 0xD5; WPC1252 has
 * "€" at 0x80. CP437 and CP850 have no "€": it prints as "EUR".
 */
export const CODE_PAGES = { cp437: 0, cp850: 2, cp1252: 16, cp858: 19 } as const;
export type CodePage = keyof typeof CODE_PAGES;
export const CODE_PAGE_NAMES = Object.keys(CODE_PAGES) as [CodePage, ...CodePage[]];

/** Spellings for characters the common pages lack, before falling back to the bare letter or "?". */
const SUBSTITUTES: Readonly<Record<string, string>> = {
  "€": "EUR",
  "‘": "'",
  "’": "'",
  "‚": ",",
  "“": '"',
  "”": '"',
  "„": '"',
  "–": "-",
  "—": "-",
  "…": "...",
  "•": "*",
  "·": ".",
};

const QUESTION_MARK = 0x3f;

/** Whether the page has the character: iconv-lite writes "?" for what it cannot encode. */
function encodesAlone(character: string, page: CodePage): Buffer | null {
  const bytes = iconv.encode(character, page);
  return bytes.length === 1 && (bytes[0] !== QUESTION_MARK || character === "?") ? bytes : null;
}

/** What a character becomes on a page without it: a substitute, the letter without its accent, or "?". */
function fallback(character: string, page: CodePage): Buffer {
  const substitute = SUBSTITUTES[character];
  if (substitute !== undefined) return encodeText(substitute, page);
  const bare = character.normalize("NFD").replace(/\p{M}/gu, "");
  if (bare !== character && bare.length > 0) return encodeText(bare, page);
  return Buffer.from([QUESTION_MARK]);
}

/**
 * Text as the bytes of a code page. Control characters become spaces (they would be printer
 * commands); a character the page lacks becomes its substitute ("€" → "EUR" on CP437), its letter
 * without the accent, or "?".
 */
export function encodeText(text: string, page: CodePage): Buffer {
  const chunks: Buffer[] = [];
  // Intl puts no-break spaces in amounts ("12,50 €"); a plain space prints the same on every printer.
  for (const character of text.normalize("NFC").replace(/[\u00a0\u202f]/g, " ")) {
    const code = character.codePointAt(0) ?? 0;
    if (code < 0x20 || code === 0x7f || (code >= 0x80 && code < 0xa0)) {
      chunks.push(Buffer.from([0x20]));
      continue;
    }
    chunks.push(encodesAlone(character, page) ?? fallback(character, page));
  }
  return Buffer.concat(chunks);
}

/** Bytes of a code page back to text (the printer emulator's paper, read in tests). */
export function decodeText(bytes: Buffer, page: CodePage): string {
  return iconv.decode(bytes, page);
}
