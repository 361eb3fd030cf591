import type { ServerResponse } from "node:http";
import { ErrorCodes } from "../../core/error-codes.js";
import { isKioskError, KioskError } from "../../core/kiosk-error.js";
import type { ErrorMessage } from "../protocol.js";

/**
 * Every answer of the screen's server: nothing from elsewhere runs or loads in the page, no other
 * page may frame it (a frame would be the real screen, driven by whoever frames it), and no other
 * site may read what it serves.
 */
export const SCREEN_SECURITY_HEADERS = {
  "content-security-policy":
    "default-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "x-frame-options": "DENY",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cross-origin-resource-policy": "same-origin",
} as const;

export function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, {
    ...SCREEN_SECURITY_HEADERS,
    "content-type": "application/json",
    "cache-control": "no-store",
  });
  response.end(JSON.stringify(body));
}

/** A coded error as the screen or a dev request gets it; anything uncoded says only that it failed. */
export function errorMessage(error: unknown): ErrorMessage {
  const coded = isKioskError(error)
    ? error
    : new KioskError(ErrorCodes.INTERNAL, "Something went wrong; nothing changed.");
  return { type: "error", code: coded.code, message: coded.detail };
}
