import type { IncomingMessage } from "node:http";
import { ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";
import type { SafeHtml } from "./html.js";

/** What a handler answers; the server writes it (and the security headers every answer gets). */
export type Reply =
  | {
      readonly kind: "html";
      readonly status: number;
      readonly body: SafeHtml;
      readonly cookies?: readonly string[];
      /** Seconds after which the browser reloads the page (a page that waits for a kiosk). */
      readonly refreshSeconds?: number;
    }
  | { readonly kind: "redirect"; readonly location: string; readonly cookies?: readonly string[] }
  | { readonly kind: "text"; readonly status: number; readonly contentType: string; readonly body: string }
  | {
      readonly kind: "download";
      readonly contentType: string;
      readonly filename: string;
      /** Writes the body in pieces; resolves when it is all written. */
      readonly write: (chunk: (text: string) => Promise<void>) => Promise<void>;
    };

export const redirect = (location: string, cookies?: readonly string[]): Reply => ({
  kind: "redirect",
  location,
  ...(cookies ? { cookies } : {}),
});

/** The largest form body read (the configuration editor's JSON is the biggest). */
export const MAX_FORM_BYTES = 64 * 1024;

/** Reads an application/x-www-form-urlencoded body, refusing one that is too large or of another type. */
export async function readForm(
  request: IncomingMessage,
  maxBytes = MAX_FORM_BYTES,
): Promise<URLSearchParams> {
  const type = (request.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded") {
    request.resume();
    throw new KioskError(ErrorCodes.DASHBOARD_REQUEST_INVALID, "Send the form as a web form.", {
      contentType: type ?? null,
    });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).byteLength;
    if (size > maxBytes) {
      request.resume();
      throw new KioskError(
        ErrorCodes.DASHBOARD_REQUEST_INVALID,
        `The form is larger than ${maxBytes} bytes.`,
        {
          maxBytes,
        },
      );
    }
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

/** The request's cookies by name (the first of a name wins). */
export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? "").split(";")) {
    const at = part.indexOf("=");
    if (at < 1) continue;
    const name = part.slice(0, at).trim();
    if (!cookies.has(name)) {
      try {
        cookies.set(name, decodeURIComponent(part.slice(at + 1).trim()));
      } catch {
        // A cookie that is not valid percent-encoding is not ours: ignore it.
      }
    }
  }
  return cookies;
}

export interface CookieOptions {
  readonly path?: string;
  readonly secure: boolean;
  /** Seconds; 0 deletes the cookie. Absent: a browser-session cookie. */
  readonly maxAgeSeconds?: number;
}

/** A Set-Cookie value that scripts cannot read and other sites never send (HttpOnly, SameSite=Strict). */
export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  return [
    `${name}=${encodeURIComponent(value)}`,
    `Path=${options.path ?? "/"}`,
    "HttpOnly",
    "SameSite=Strict",
    ...(options.secure ? ["Secure"] : []),
    ...(options.maxAgeSeconds !== undefined ? [`Max-Age=${options.maxAgeSeconds}`] : []),
  ].join("; ");
}
