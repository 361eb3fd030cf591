import { isEmailAddress, MAX_EMAIL_LENGTH } from "../../core/email-address.js";
import { ErrorCodes } from "../../core/error-codes.js";
import type { ErrorView } from "./staff/views.js";

/** The address being typed for a receipt by email, and how sending it went. */
export interface EmailEntry {
  readonly recordId: string;
  readonly address: string;
  readonly sending: boolean;
  /** The address it went to, once central has sent it. */
  readonly sent: string | null;
  readonly error: ErrorView | null;
}

/** Keys the email keyboard sends: lower-case letters, digits and what addresses are made of. */
const EMAIL_KEY = /^[a-z0-9@._+-]$/;
/** Keys that type several characters at once (common endings). */
const EMAIL_CHUNKS = new Set([".com", ".net", ".org", ".es", "@gmail.com", "@outlook.com", "@yahoo.com"]);

export function newEmailEntry(recordId: string): EmailEntry {
  return { recordId, address: "", sending: false, sent: null, error: null };
}

/** The outcome of a touch on the email keyboard: the entry after it, closed (null), or a send to start. */
export type EmailTouch =
  | { readonly kind: "entry"; readonly entry: EmailEntry | null }
  | { readonly kind: "send"; readonly entry: EmailEntry; readonly address: string }
  | { readonly kind: "ignored" };

/**
 * One touch while the email keyboard is open: typing (`key`, `backspace`, `clear`), `email-send`
 * (the address is checked here first: a wrong one never leaves the kiosk), `email-close`.
 */
export function emailTouch(entry: EmailEntry, action: string, value: string | undefined): EmailTouch {
  if (action === "email-close") return entry.sending ? { kind: "ignored" } : { kind: "entry", entry: null };
  if (entry.sending) return { kind: "ignored" };
  switch (action) {
    case "key": {
      const key = value?.toLowerCase() ?? "";
      if (!(EMAIL_KEY.test(key) || EMAIL_CHUNKS.has(key))) return { kind: "ignored" };
      if (entry.address.length + key.length > MAX_EMAIL_LENGTH) return { kind: "ignored" };
      return { kind: "entry", entry: { ...entry, address: entry.address + key, error: null, sent: null } };
    }
    case "backspace":
      return { kind: "entry", entry: { ...entry, address: entry.address.slice(0, -1), error: null } };
    case "clear":
      return { kind: "entry", entry: { ...entry, address: "", error: null } };
    case "email-send":
      if (!isEmailAddress(entry.address))
        return {
          kind: "entry",
          entry: {
            ...entry,
            error: {
              code: ErrorCodes.RECEIPT_EMAIL_INVALID,
              message: "That is not an email address: check it and try again.",
            },
          },
        };
      return { kind: "send", entry: { ...entry, sending: true, error: null }, address: entry.address };
    default:
      return { kind: "ignored" };
  }
}

/** Central's answer about the email: sent to the address, or why not. */
export function emailAnswered(entry: EmailEntry, error: ErrorView | null): EmailEntry {
  return error
    ? { ...entry, sending: false, error }
    : { ...entry, sending: false, sent: entry.address, error: null };
}
