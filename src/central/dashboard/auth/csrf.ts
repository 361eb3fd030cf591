import { randomBytes, timingSafeEqual } from "node:crypto";

/** The form field every state-changing form carries. */
export const CSRF_FIELD = "csrf";

/** A fresh unguessable token (256 bits, base64url). */
export function newToken(): string {
  return randomBytes(32).toString("base64url");
}

/**
 * Whether a form's token is the one the server expects (the session's, or the sign-in cookie's),
 * compared in constant time. A missing or empty token never matches.
 */
export function tokensMatch(expected: string | null | undefined, given: string | null | undefined): boolean {
  if (!expected || !given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Whether a request's Origin (when the browser sends one) is this server: a form posted from
 * another site is refused even before its token is looked at.
 */
export function sameOrigin(origin: string | undefined, host: string | undefined): boolean {
  if (origin === undefined) return true;
  if (!host) return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
