import { ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";
import { SCRYPT_HASH_PATTERN, scryptHash, scryptVerify } from "../../core/scrypt-hash.js";

export const PIN_HASH_PATTERN = SCRYPT_HASH_PATTERN;

const COST = { log2N: 14, r: 8, p: 1 } as const;

export function checkPinFormat(pin: string): void {
  if (!/^\d{4,8}$/.test(pin)) {
    throw new KioskError(ErrorCodes.STAFF_PIN_INVALID, "A PIN is 4 to 8 digits.");
  }
}

export async function hashPin(pin: string): Promise<string> {
  checkPinFormat(pin);
  return scryptHash(pin, COST);
}

/** Constant-time comparison of a typed PIN with a stored hash. */
export async function verifyPin(pin: string, stored: string): Promise<boolean> {
  const matches = await scryptVerify(pin, stored);
  if (matches === null) {
    throw new KioskError(ErrorCodes.STAFF_PIN_HASH_INVALID, "The stored PIN hash is not in scrypt format.");
  }
  return matches;
}
