import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import { ErrorCodes } from "../../../core/error-codes.js";
import { KioskError } from "../../../core/kiosk-error.js";

/** "scrypt$<log2 N>$<r>$<p>$<salt base64>$<hash base64>" */
const HASH_PATTERN =
  /^scrypt\$(\d{1,2})\$(\d{1,2})\$(\d{1,2})\$([A-Za-z0-9+/=]{16,})\$([A-Za-z0-9+/=]{32,})$/;

/** Costlier than a kiosk PIN's: a dashboard password guards every kiosk of the fleet. */
const COST = { log2N: 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
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

function derive(password: string, salt: Buffer, log2N: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, KEY_LENGTH, { N: 2 ** log2N, r, p, maxmem: 128 * 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

export async function hashPassword(password: string): Promise<string> {
  checkPasswordStrength(password);
  const salt = randomBytes(16);
  const key = await derive(password, salt, COST.log2N, COST.r, COST.p);
  return `scrypt$${COST.log2N}$${COST.r}$${COST.p}$${salt.toString("base64")}$${key.toString("base64")}`;
}

/** Constant-time comparison of a typed password with a stored hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const match = HASH_PATTERN.exec(stored);
  if (!match) {
    throw new KioskError(
      ErrorCodes.DASHBOARD_PASSWORD_HASH_INVALID,
      "A stored dashboard password hash is not in scrypt format: set the password again.",
    );
  }
  const [, log2N, r, p, salt, hash] = match;
  if (password.length > MAX_PASSWORD_LENGTH) return false;
  const expected = Buffer.from(hash ?? "", "base64");
  const actual = await derive(
    password,
    Buffer.from(salt ?? "", "base64"),
    Number(log2N),
    Number(r),
    Number(p),
  );
  return expected.length === actual.length && timingSafeEqual(expected, actual);
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
