import type { ServerResponse } from "node:http";
import { type ErrorCode, ErrorCodes } from "../../core/error-codes.js";
import { isKioskError } from "../../core/kiosk-error.js";

/** The HTTP status each coded refusal answers with; anything not listed is a 500 that says nothing inside. */
const STATUS: Partial<Record<ErrorCode, number>> = {
  [ErrorCodes.INTEGRATION_UNAUTHORIZED]: 401,
  [ErrorCodes.INTEGRATION_REQUEST_INVALID]: 400,
  [ErrorCodes.INTEGRATION_NOT_FOUND]: 404,
  [ErrorCodes.CENTRAL_IMPORT_INVALID]: 400,
  [ErrorCodes.CENTRAL_IMPORT_TOO_LARGE]: 413,
  [ErrorCodes.CENTRAL_PAYMENT_INVALID]: 422,
  [ErrorCodes.CENTRAL_PAYMENT_INVOICE_UNKNOWN]: 422,
  [ErrorCodes.CENTRAL_PAYMENT_REFERENCE_CONFLICT]: 409,
  [ErrorCodes.CENTRAL_DB_UNAVAILABLE]: 503,
};

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
  });
  response.end(text);
}

/** `{ "error": { "code", "message" } }` with the code's status. */
export function sendError(
  response: ServerResponse,
  code: ErrorCode,
  message: string,
  status = STATUS[code] ?? 500,
): void {
  if (status === 401) response.setHeader("www-authenticate", 'Bearer realm="spectra-central"');
  sendJson(response, status, { error: { code, message: message.slice(0, 2000) } });
}

/** A failure while handling a request: a coded one says what it is; anything else says nothing inside. */
export function sendFailure(response: ServerResponse, error: unknown): void {
  if (isKioskError(error)) {
    sendError(response, error.code, error.message);
    return;
  }
  sendError(
    response,
    ErrorCodes.CENTRAL_DB_UNAVAILABLE,
    `[${ErrorCodes.CENTRAL_DB_UNAVAILABLE}] Central could not complete the request; nothing was changed. Try again.`,
  );
}
