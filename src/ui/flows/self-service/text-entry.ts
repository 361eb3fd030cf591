import type { FindField } from "./screens.js";

/** What each search field accepts from the on-screen keyboard, and how long it may get. */
const FIELD_RULES: Record<FindField, { readonly pattern: RegExp; readonly maxLength: number }> = {
  invoiceNumber: { pattern: /^[A-Za-z0-9-]$/, maxLength: 32 },
  lastName: { pattern: /^[\p{L}' -]$/u, maxLength: 40 },
};

/** The field's text with one key added, or null when the key does not belong there or it is full. */
export function typed(field: FindField, text: string, key: string | undefined): string | null {
  const rule = FIELD_RULES[field];
  if (key === undefined || !rule.pattern.test(key) || text.length >= rule.maxLength) return null;
  return field === "invoiceNumber" ? `${text}${key.toUpperCase()}` : `${text}${key}`;
}

/** Amounts are typed as on a card terminal: each digit shifts the cents left. */
export function typedAmount(enteredMinor: number, key: string | undefined): number | null {
  if (key === undefined || !/^\d$/.test(key)) return null;
  const next = enteredMinor * 10 + Number(key);
  return next > 99_999_999 ? null : next;
}
