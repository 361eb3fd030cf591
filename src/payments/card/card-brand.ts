/**
 * Which card type a number belongs to, from a prefix table like the one in Spectra's payment-method
 * setup. A prefix is digits ("4", "6011") or a range of equal-length prefixes ("51-55",
 * "2221-2720"). The longest matching prefix wins, so "6011" beats "6".
 */
export interface CardPrefixRule {
  readonly prefix: string;
  readonly cardType: string;
}

/**
 * The common issuer ranges of ISO/IEC 7812 (the IIN's leading digits), used when a card method
 * names no table of its own. UnionPay's whole 62 range is UnionPay (its cards co-branded with
 * Discover included); Maestro's 6304, 6759 and 676 win over nothing else here, and 50 and 56–58
 * are Maestro's own.
 */
export const DEFAULT_CARD_PREFIXES: readonly CardPrefixRule[] = [
  { prefix: "4", cardType: "Visa" },
  { prefix: "51-55", cardType: "Mastercard" },
  { prefix: "2221-2720", cardType: "Mastercard" },
  { prefix: "34", cardType: "American Express" },
  { prefix: "37", cardType: "American Express" },
  { prefix: "6011", cardType: "Discover" },
  { prefix: "644-649", cardType: "Discover" },
  { prefix: "65", cardType: "Discover" },
  { prefix: "3528-3589", cardType: "JCB" },
  { prefix: "36", cardType: "Diners Club" },
  { prefix: "38-39", cardType: "Diners Club" },
  { prefix: "300-305", cardType: "Diners Club" },
  { prefix: "3095", cardType: "Diners Club" },
  { prefix: "62", cardType: "UnionPay" },
  { prefix: "81", cardType: "UnionPay" },
  { prefix: "50", cardType: "Maestro" },
  { prefix: "56-58", cardType: "Maestro" },
  { prefix: "6304", cardType: "Maestro" },
  { prefix: "6759", cardType: "Maestro" },
  { prefix: "676", cardType: "Maestro" },
  { prefix: "2200-2204", cardType: "Mir" },
];

export const PREFIX_RULE_PATTERN = /^(\d{1,8})(?:-(\d{1,8}))?$/;

function matchLength(rule: CardPrefixRule, digits: string): number {
  const match = PREFIX_RULE_PATTERN.exec(rule.prefix);
  if (!match?.[1]) return 0;
  const low = match[1];
  const high = match[2] ?? low;
  if (high.length !== low.length || digits.length < low.length) return 0;
  const head = digits.slice(0, low.length);
  return head >= low && head <= high ? low.length : 0;
}

/** The card type for the leading digits of a card (a BIN or a masked number's first 6), or null. */
export function cardTypeFor(leadingDigits: string, rules: readonly CardPrefixRule[]): string | null {
  let best: { length: number; cardType: string } | null = null;
  for (const rule of rules) {
    const length = matchLength(rule, leadingDigits);
    if (length > 0 && (best === null || length > best.length)) best = { length, cardType: rule.cardType };
  }
  return best?.cardType ?? null;
}
