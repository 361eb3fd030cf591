import { ErrorCodes } from "../../core/error-codes.js";
import { jsonNestingExceeds } from "../../core/json-nesting.js";
import { KioskError } from "../../core/kiosk-error.js";
import { type BrowserMessage, browserMessageSchema } from "../protocol.js";

/**
 * The largest message the screen sends: a touch is a short action and a value of at most 64
 * characters, well under this even with every character escaped. Anything larger is refused
 * before it is decoded; the socket itself closes on frames over `SOCKET_MAX_PAYLOAD`.
 */
export const MAX_SCREEN_MESSAGE_BYTES = 1024;
export const SOCKET_MAX_PAYLOAD = 4096;

const invalid = (detail: string): KioskError =>
  new KioskError(
    ErrorCodes.UI_MESSAGE_INVALID,
    `The screen sent a message the kiosk does not understand (${detail}); nothing changed.`,
  );

/**
 * Reads one WebSocket message from the screen, checking size and shape before anything parses it:
 * text only, at most MAX_SCREEN_MESSAGE_BYTES, one flat JSON object, then the touch schema (with
 * lengths). Throws a coded error for anything else; never throws anything uncoded.
 */
export function parseScreenMessage(data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): BrowserMessage {
  if (isBinary) throw invalid("binary frame");
  const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
  if (bytes.byteLength > MAX_SCREEN_MESSAGE_BYTES) {
    throw new KioskError(
      ErrorCodes.UI_MESSAGE_TOO_LARGE,
      `The screen sent ${bytes.byteLength} bytes; a touch is at most ${MAX_SCREEN_MESSAGE_BYTES}. Nothing changed.`,
    );
  }
  const text = bytes.toString("utf8");
  // A touch is one flat object: nothing nested is worth parsing.
  if (jsonNestingExceeds(text, 1)) throw invalid("nested structure");
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalid("not JSON");
  }
  const message = browserMessageSchema.safeParse(parsed);
  if (!message.success) throw invalid("not a touch");
  return message.data;
}
