import type { ServerResponse } from "node:http";
import { ErrorCodes } from "../../core/error-codes.js";
import { isKioskError, KioskError } from "../../core/kiosk-error.js";
import type { ErrorMessage } from "../protocol.js";

/**
 * Every answer of the screen's server: no other page may frame it (a frame would be the real
 * screen, driven by whoever frames it), no plugin or base URL of another's, and no other site may
 * read what it serves. Scripts and frames are not restricted further here: the staff screen frames
 * the card processor's hosted page, whose origin is the processor's configuration.
 */
export const SCREEN_SECURITY_HEADERS = {
  "content-security-policy": "frame-ancestors 'none'; object-src 'none'; base-uri 'none'; form-action 'none'",
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
