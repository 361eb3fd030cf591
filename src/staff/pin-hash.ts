import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import { ErrorCodes } from "../core/error-codes.js";
import { KioskError } from "../core/kiosk-error.js";

/** "scrypt$<log2 N>$<r>$<p>$<salt base64>$<hash base64>" */
export const PIN_HASH_PATTERN =
  /^scrypt\$(\d{1,2})\$(\d{1,2})\$(\d{1,2})\$([A-Za-z0-9+/=]{16,})\$([A-Za-z0-9+/=]{32,})$/;

const COST = { log2N: 14, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

export function checkPinFormat(pin: string): void {
  if (!/^\d{4,8}$/.test(pin)) {
    throw new KioskError(ErrorCodes.STAFF_PIN_INVALID, "A PIN is 4 to 8 digits.");
  }
}

function derive(pin: string, salt: Buffer, log2N: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(pin, salt, KEY_LENGTH, { N: 2 ** log2N, r, p, maxmem: 64 * 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

export async function hashPin(pin: string): Promise<string> {
  checkPinFormat(pin);
  const salt = randomBytes(16);
  const key = await derive(pin, salt, COST.log2N, COST.r, COST.p);
  return `scrypt$${COST.log2N}$${COST.r}$${COST.p}$${salt.toString("base64")}$${key.toString("base64")}`;
}

/** Constant-time comparison of a typed PIN with a stored hash. */
export async function verifyPin(pin: string, stored: string): Promise<boolean> {
  const match = PIN_HASH_PATTERN.exec(stored);
  if (!match) {
    throw new KioskError(ErrorCodes.STAFF_PIN_HASH_INVALID, "The stored PIN hash is not in scrypt format.");
  }
  const [, log2N, r, p, salt, hash] = match;
  const expected = Buffer.from(hash ?? "", "base64");
  const actual = await derive(pin, Buffer.from(salt ?? "", "base64"), Number(log2N), Number(r), Number(p));
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
