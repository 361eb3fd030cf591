/** What each kind of field accepts from the on-screen keypad, and how long it may grow. */
const FIELD_KEYS = {
  money: { pattern: /^\d$/, max: 10 },
  pin: { pattern: /^\d$/, max: 8 },
  checkNumber: { pattern: /^\d$/, max: 10 },
  authorizationCode: { pattern: /^[A-Z0-9]$/, max: 12 },
  invoiceNumber: { pattern: /^[A-Z0-9-]$/, max: 32 },
  reference: { pattern: /^[A-Z0-9 -]$/, max: 64 },
  // The record's note holds up to 500 characters; what staff type at the counter stays short.
  note: { pattern: /^[A-Z0-9 -]$/, max: 120 },
} as const;

export type KeypadField = keyof typeof FIELD_KEYS;

/**
 * Applies one keypad touch ("key" with a character, "backspace", "clear") to a field's text. Keys the
 * field does not take are ignored, so a stray touch never puts garbage into a field. Money is typed
 * cash-register style: digits of minor units, so "2", "5", "0", "0" reads 25.00.
 */
export function typeInto(field: KeypadField, text: string, action: string, value?: string): string {
  if (action === "backspace") return text.slice(0, -1);
  if (action === "clear") return "";
  if (action !== "key" || value === undefined) return text;
  const rule = FIELD_KEYS[field];
  const key = value.toUpperCase();
  if (!rule.pattern.test(key) || text.length >= rule.max) return text;
  if (field === "money" && text === "" && key === "0") return text;
  return text + key;
}

/** Minor units from cash-register digits ("" is 0). */
export function minorOf(digits: string): number {
  return digits === "" ? 0 : Number(digits);
}

/** Cash-register digits for an amount in minor units (0 is ""). */
export function digitsOf(minor: number): string {
  return minor <= 0 ? "" : String(Math.trunc(minor));
}
