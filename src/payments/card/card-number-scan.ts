import { passesLuhn } from "./luhn.js";

/**
 * Digit groups joined by single spaces or dashes, the ways people write a card number down (groups
 * of 4, or an Amex's 4-6-5), not touching other digits. Each repetition must start with a
 * separator, so matching is linear whatever the text.
 */
const DIGIT_GROUPS = /(?<!\d)\d+(?:[ -]\d+)*(?!\d)/g;
const GROUP = /\d+/g;
/**
 * A UUID in its canonical form (every record and message id). Its digit groups joined by dashes can
 * pass Luhn by chance (say 4, 4 and 7 digits between its dashes), so UUIDs are never read as card
 * numbers.
 */
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

const quickTests = new Map<number, RegExp>();

/** `count` digits in a row, single spaces or dashes allowed between: what every card number has. */
function enoughDigits(count: number): RegExp {
  let test = quickTests.get(count);
  if (!test) {
    test = new RegExp(`\\d(?:[ -]?\\d){${count - 1}}`);
    quickTests.set(count, test);
  }
  return test;
}

export interface CardNumberFound {
  /** Where the number starts and ends in the text, separators included. */
  readonly start: number;
  readonly end: number;
  /** Its digits alone. */
  readonly digits: string;
}

export interface ScanOptions {
  /** The shortest number taken for a card's: 13 (card networks' payment cards) unless said; 11 at least. */
  readonly minDigits?: number;
}

const MAX_DIGITS = 19;

/**
 * Every full card number in free text: a run of 13–19 digits (as one block, or groups joined by
 * spaces or dashes) that passes Luhn, outside UUIDs. Within a longer run of groups, any consecutive groups that
 * make a card number count, so a number cannot hide between a phone number and a date. One in ten
 * random digit strings passes Luhn, so this errs on the side of finding too much — the cost of a
 * false find is retyping a note, of a missed one a card number in clear.
 */
export function findCardNumbers(text: string, options: ScanOptions = {}): CardNumberFound[] {
  // Fewer than 11 digits would leave nothing for a mask to hide.
  const minDigits = Math.max(11, options.minDigits ?? 13);
  const found: CardNumberFound[] = [];
  if (!enoughDigits(minDigits).test(text)) return found;
  // UUIDs blanked out, the length kept: positions found below are the text's own.
  const scanned = text.replace(UUID, (uuid) => "_".repeat(uuid.length));
  for (const run of scanned.matchAll(DIGIT_GROUPS)) {
    const groups = [...run[0].matchAll(GROUP)].map((group) => ({
      start: run.index + group.index,
      digits: group[0],
    }));
    let first = 0;
    while (first < groups.length) {
      const last = longestCardFrom(groups, first, minDigits);
      if (last === null) {
        first += 1;
        continue;
      }
      const end = groups[last] as { start: number; digits: string };
      found.push({
        start: (groups[first] as { start: number }).start,
        end: end.start + end.digits.length,
        digits: groups
          .slice(first, last + 1)
          .map((group) => group.digits)
          .join(""),
      });
      first = last + 1;
    }
  }
  return found;
}

/** The last group of the longest card number that starts at group `first`, or null. */
function longestCardFrom(
  groups: readonly { digits: string }[],
  first: number,
  minDigits: number,
): number | null {
  let digits = "";
  let found: number | null = null;
  for (let index = first; index < groups.length; index += 1) {
    digits += (groups[index] as { digits: string }).digits;
    if (digits.length > MAX_DIGITS) break;
    if (digits.length >= minDigits && passesLuhn(digits)) found = index;
  }
  return found;
}

export function containsCardNumber(text: string, options: ScanOptions = {}): boolean {
  return findCardNumbers(text, options).length > 0;
}

/**
 * The text with every card number in it replaced by its masked form (first 6 and last 4 digits,
 * the rest "*", separators dropped): the form the rest of the system keeps. The digits a mask keeps
 * can make a new Luhn-valid run with digits beside them, so it masks again until none is left.
 */
export function maskCardNumbers(text: string, options: ScanOptions = {}): string {
  let current = text;
  for (;;) {
    const found = findCardNumbers(current, options);
    if (found.length === 0) return current;
    let masked = "";
    let from = 0;
    for (const { start, end, digits } of found) {
      masked += `${current.slice(from, start)}${digits.slice(0, 6)}${"*".repeat(digits.length - 10)}${digits.slice(-4)}`;
      from = end;
    }
    current = masked + current.slice(from);
  }
}
