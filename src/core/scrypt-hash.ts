import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";

/** "scrypt$<log2 N>$<r>$<p>$<salt base64>$<hash base64>" — the form PINs and dashboard passwords are kept in. */
export const SCRYPT_HASH_PATTERN =
  /^scrypt\$(\d{1,2})\$(\d{1,2})\$(\d{1,2})\$([A-Za-z0-9+/=]{16,})\$([A-Za-z0-9+/=]{32,})$/;

/** How much work one hash costs: N = 2^log2N, block size r, parallelism p. */
export interface ScryptCost {
  readonly log2N: number;
  readonly r: number;
  readonly p: number;
}

const KEY_LENGTH = 32;
/** The most memory one derivation may take; N = 2^15 with r = 8 needs 32 MiB. */
const MAX_MEMORY = 128 * 1024 * 1024;
/** A stored hash asking for more than this is refused: it would take seconds and memory to check. */
const MAX_LOG2N = 17;

function derive(secret: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(
      secret,
      salt,
      KEY_LENGTH,
      { N: 2 ** cost.log2N, r: cost.r, p: cost.p, maxmem: MAX_MEMORY },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
}

/** A fresh salt and the secret's scrypt hash, in SCRYPT_HASH_PATTERN's form. */
export async function scryptHash(secret: string, cost: ScryptCost): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(secret, salt, cost);
  return `scrypt$${cost.log2N}$${cost.r}$${cost.p}$${salt.toString("base64")}$${key.toString("base64")}`;
}

/**
 * Constant-time comparison of a secret with a stored hash. Null when the stored text is not a hash
 * this helper can check (the caller says which error that is for its users).
 */
export async function scryptVerify(secret: string, stored: string): Promise<boolean | null> {
  const match = SCRYPT_HASH_PATTERN.exec(stored);
  if (!match) return null;
  const [, log2N, r, p, salt, hash] = match;
  const cost = { log2N: Number(log2N), r: Number(r), p: Number(p) };
  if (cost.log2N > MAX_LOG2N || cost.r < 1 || cost.p < 1) return null;
  const expected = Buffer.from(hash ?? "", "base64");
  const actual = await derive(secret, Buffer.from(salt ?? "", "base64"), cost);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
