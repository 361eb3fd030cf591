import type { PaymentRecord } from "../payment-record.js";
import { RECORD_FIELD_LIST } from "../payment-record.js";
import { METHOD_FREE_TEXT } from "./method-field.js";

/** Every free-text value of a record with its path ("note", "method.reference"), as the description marks them. */
export function freeTextOf(record: PaymentRecord): { path: string; text: string }[] {
  const found: { path: string; text: string }[] = [];
  for (const [name, field] of RECORD_FIELD_LIST) {
    const value = record[name];
    if (field.freeText && typeof value === "string") found.push({ path: name, text: value });
  }
  const details = record.method as unknown as Readonly<Record<string, unknown>>;
  for (const key of METHOD_FREE_TEXT[record.method.type]) {
    const value = details[key];
    if (typeof value === "string") found.push({ path: `method.${key}`, text: value });
  }
  return found;
}
