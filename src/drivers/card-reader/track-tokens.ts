/**
 * Splits what a magnetic-stripe reader sends for one swipe into its tracks, following ISO/IEC 7811-2
 * and 7813: track 1 is `%` … `?` in the 6-bit alphabet (ASCII 0x20–0x5F), track 2 is `;` … `?` in
 * the 4-bit alphabet (ASCII 0x30–0x3F), and track 3 is `+` … `?` (MagTek's start sentinel, so it
 * cannot be mistaken for track 2) or a second `;` … `?`. Each track may be followed by its LRC
 * character, and a track the reader could not decode is sent as `%E?`, `;E?` or `+E?`.
 *
 * The LRC is ambiguous as text (it can itself be `;`, `%` or `?`), so the tokenizer computes it and
 * backtracks: a following character is taken as the LRC when it matches, and otherwise only when it
 * cannot start the next track.
 */

export type TrackNumber = 1 | 2 | 3;

export type TrackToken =
  | { readonly track: TrackNumber; readonly status: "read"; readonly data: string; readonly lrc: LrcCheck }
  | { readonly track: TrackNumber; readonly status: "error" };

/** "valid": an LRC was sent and matches; "mismatch": a character sat where the LRC goes but differs. */
export type LrcCheck = "absent" | "valid" | "mismatch";

/** Longest data (between the sentinels) ISO 7813 allows: 79 and 40 characters with sentinels and LRC. */
const MAX_DATA = { 1: 76, 2: 37, 3: 104 } as const;

export interface TokenizeOptions {
  /** Masked output (MagneSafe) puts `*` inside the 4-bit tracks. */
  readonly masked: boolean;
}

const START_SENTINELS = "%;+";

function inAlphabet(track: TrackNumber, data: string, masked: boolean): boolean {
  for (let index = 0; index < data.length; index += 1) {
    const code = data.charCodeAt(index);
    if (track === 2) {
      const fourBit = code >= 0x30 && code <= 0x3f && code !== 0x3b && code !== 0x3f;
      if (!fourBit && !(masked && code === 0x2a)) return false;
    } else if (code < 0x20 || code > 0x5f || code === 0x25 || code === 0x3f) {
      // Track 1 and MagTek's track 3 use the 6-bit alphabet; `%` and `?` are sentinels there.
      return false;
    }
  }
  return true;
}

/** The LRC character ISO 7811-2 defines: the XOR of every character's bits from start to end sentinel. */
export function lrcFor(track: TrackNumber, data: string): string {
  if (track === 1) {
    let lrc = 0x25 - 0x20;
    for (let index = 0; index < data.length; index += 1) lrc ^= (data.charCodeAt(index) - 0x20) & 0x3f;
    lrc ^= 0x3f - 0x20;
    return String.fromCharCode(lrc + 0x20);
  }
  // Tracks 2 and 3 are 4-bit; on the card both start with `;` (MagTek shows track 3's as `+`).
  let lrc = 0x3b - 0x30;
  for (let index = 0; index < data.length; index += 1) lrc ^= (data.charCodeAt(index) - 0x30) & 0x0f;
  lrc ^= 0x3f - 0x30;
  return String.fromCharCode(lrc + 0x30);
}

function trackFor(sentinel: string, seen: readonly TrackToken[]): TrackNumber | null {
  const has = (track: TrackNumber): boolean => seen.some((token) => token.track === track);
  let track: TrackNumber;
  if (sentinel === "%") track = 1;
  else if (sentinel === "+") track = 3;
  else track = has(2) ? 3 : 2;
  return has(track) ? null : track;
}

function skipSpace(line: string, from: number): number {
  let index = from;
  while (index < line.length && /\s/.test(line.charAt(index))) index += 1;
  return index;
}

function tokenizeFrom(line: string, from: number, seen: TrackToken[], options: TokenizeOptions): boolean {
  const start = skipSpace(line, from);
  if (start >= line.length) return seen.length > 0;
  const sentinel = line.charAt(start);
  if (!START_SENTINELS.includes(sentinel)) return false;
  const track = trackFor(sentinel, seen);
  const end = line.indexOf("?", start + 1);
  if (track === null || end < 0) return false;
  const data = line.slice(start + 1, end);

  if (data === "E") {
    seen.push({ track, status: "error" });
    if (tokenizeFrom(line, end + 1, seen, options)) return true;
    seen.pop();
    return false;
  }
  if (data.length === 0 || data.length > MAX_DATA[track] || !inAlphabet(track, data, options.masked)) {
    return false;
  }

  const next = line.charAt(end + 1);
  const expected = lrcFor(track, data);
  const attempts: { skip: number; lrc: LrcCheck }[] = [];
  const lrcCandidate: LrcCheck = next === expected ? "valid" : "mismatch";
  const preferAbsent = START_SENTINELS.includes(next) || /\s/.test(next);
  if (next === "") attempts.push({ skip: 0, lrc: "absent" });
  else if (next === expected || !preferAbsent) {
    attempts.push({ skip: 1, lrc: lrcCandidate }, { skip: 0, lrc: "absent" });
  } else {
    attempts.push({ skip: 0, lrc: "absent" }, { skip: 1, lrc: lrcCandidate });
  }
  for (const attempt of attempts) {
    seen.push({ track, status: "read", data, lrc: attempt.lrc });
    if (tokenizeFrom(line, end + 1 + attempt.skip, seen, options)) return true;
    seen.pop();
  }
  return false;
}

/**
 * The tracks in one line, or null when the line is not a swipe in any form this reader knows.
 * Control characters a reader may frame its output with (STX, ETX, CR) and surrounding spaces are
 * ignored.
 */
export function tokenizeTracks(
  line: string,
  options: TokenizeOptions = { masked: false },
): TrackToken[] | null {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: readers frame output with STX/ETX.
  const trimmed = line.replace(/^[\s\x00-\x1f]+|[\s\x00-\x1f]+$/g, "");
  const tokens: TrackToken[] = [];
  return tokenizeFrom(trimmed, 0, tokens, options) ? tokens : null;
}
