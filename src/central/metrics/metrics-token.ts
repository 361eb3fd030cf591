import { createHash, timingSafeEqual } from "node:crypto";
import { readOwnerOnlySecret } from "../../core/secret-file.js";

/** What a metrics token may be: long enough not to be guessed, and safe in an HTTP header. */
export const METRICS_TOKEN_PATTERN = /^[A-Za-z0-9._~+/=-]{32,256}$/;

/** The token from its file (owner-only, one line); a bad file is SECRET_FILE_INVALID at start. */
export function readMetricsToken(path: string): string {
  return readOwnerOnlySecret(path, METRICS_TOKEN_PATTERN, "a metrics token (32–256 URL-safe characters)");
}

const digest = (text: string): Buffer => createHash("sha256").update(text, "utf8").digest();

/**
 * Whether an `Authorization` header carries the token: `Bearer <token>`, compared in constant time
 * (both sides hashed first, so neither the token's length nor its first wrong character shows in
 * the time taken).
 */
export function bearerMatches(expected: string, header: string | undefined): boolean {
  const match = /^Bearer ([^\s]{1,1024})$/.exec(header ?? "");
  const offered = match?.[1] ?? "";
  const same = timingSafeEqual(digest(expected), digest(offered));
  return same && match !== null;
}
