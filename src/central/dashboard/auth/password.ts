import { ErrorCodes } from "../../../core/error-codes.js";
import { KioskError } from "../../../core/kiosk-error.js";
import { SCRYPT_HASH_PATTERN, scryptHash, scryptVerify } from "../../../core/scrypt-hash.js";

/** Costlier than a kiosk PIN's: a dashboard password guards every kiosk of the fleet. */
const COST = { log2N: 15, r: 8, p: 1 } as const;
export const MIN_PASSWORD_LENGTH = 12;
const MAX_PASSWORD_LENGTH = 1024;

export function checkPasswordStrength(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
    throw new KioskError(
      ErrorCodes.DASHBOARD_PASSWORD_WEAK,
      `A dashboard password has ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters.`,
      { length: password.length },
    );
  }
}

export async function hashPassword(password: string): Promise<string> {
  checkPasswordStrength(password);
  return scryptHash(password, COST);
}

/** Constant-time comparison of a typed password with a stored hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const matches = password.length > MAX_PASSWORD_LENGTH ? false : await scryptVerify(password, stored);
  if (matches === null || !SCRYPT_HASH_PATTERN.test(stored)) {
    throw new KioskError(
      ErrorCodes.DASHBOARD_PASSWORD_HASH_INVALID,
      "A stored dashboard password hash is not in scrypt format: set the password again.",
    );
  }
  return matches;
}

let decoy: Promise<string> | null = null;

/**
 * Spends the time a real check would for a name that does not exist, so how long a sign-in takes
 * does not tell who has an account.
 */
export async function verifyAgainstDecoy(password: string): Promise<false> {
  decoy ??= hashPassword("decoy-password-never-matches");
  await verifyPassword(password.slice(0, MAX_PASSWORD_LENGTH), await decoy);
  return false;
}
