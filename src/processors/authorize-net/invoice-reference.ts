import { createHash } from "node:crypto";

const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"; // Crockford's base 32: no I, L, O, U

/** Authorize.Net keeps `order.invoiceNumber` and `refId` to 20 characters. */
export const INVOICE_NUMBER_MAX = 20;

/**
 * The short reference an intent's call carries as `order.invoiceNumber` and `refId`, made from its
 * idempotency key (which is on disk before the call), so it is known again after a crash: "SK" and
 * 90 bits of the key's SHA-256 in base 32, 20 characters. Authorize.Net has no idempotency keys;
 * the kiosk finds a call's transaction by this reference in the transaction lists, and the
 * duplicate window refuses a second transaction that carries it.
 */
export function invoiceReference(idempotencyKey: string): string {
  const digest = createHash("sha256").update(idempotencyKey, "utf8").digest();
  let bits = 0;
  let value = 0;
  let out = "SK";
  for (const byte of digest) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < INVOICE_NUMBER_MAX) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
    if (out.length === INVOICE_NUMBER_MAX) break;
  }
  return out;
}
