import type { KeyObject } from "node:crypto";
import { type ErrorCode, ErrorCodes } from "../core/error-codes.js";
import { type SignedKind, verifiesAs } from "../sync/protocol/command-signature.js";

export type Verdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly code: ErrorCode; readonly detail: string };

/** What central signs on everything that may change a kiosk. */
export interface SignedInstruction {
  readonly deviceId: string;
  readonly issuedAt: string;
  readonly expiresAt: string;
  readonly signature: string;
}

export interface SignedContext {
  /** Central's public key; null when none is configured (everything is refused). */
  readonly publicKey: KeyObject | null;
  /** This kiosk's device id: an instruction signed for another kiosk is refused. */
  readonly deviceId: string;
  readonly now: Date;
  readonly maxClockSkewMs: number;
}

const CODES = {
  command: {
    what: "command",
    unsigned: ErrorCodes.REMOTE_COMMAND_UNSIGNED,
    badSignature: ErrorCodes.REMOTE_COMMAND_BAD_SIGNATURE,
    wrongDevice: ErrorCodes.REMOTE_COMMAND_WRONG_DEVICE,
    expired: ErrorCodes.REMOTE_COMMAND_EXPIRED,
    notYetValid: ErrorCodes.REMOTE_COMMAND_NOT_YET_VALID,
  },
  desiredConfig: {
    what: "desired configuration",
    unsigned: ErrorCodes.REMOTE_CONFIG_UNSIGNED,
    badSignature: ErrorCodes.REMOTE_CONFIG_BAD_SIGNATURE,
    wrongDevice: ErrorCodes.REMOTE_CONFIG_WRONG_DEVICE,
    expired: ErrorCodes.REMOTE_CONFIG_EXPIRED,
    notYetValid: ErrorCodes.REMOTE_CONFIG_NOT_YET_VALID,
  },
  invoiceAccounts: {
    what: "invoice accounts message",
    unsigned: ErrorCodes.REMOTE_ACCOUNTS_UNSIGNED,
    badSignature: ErrorCodes.REMOTE_ACCOUNTS_BAD_SIGNATURE,
    wrongDevice: ErrorCodes.REMOTE_ACCOUNTS_WRONG_DEVICE,
    expired: ErrorCodes.REMOTE_ACCOUNTS_EXPIRED,
    notYetValid: ErrorCodes.REMOTE_ACCOUNTS_NOT_YET_VALID,
  },
  catalogPage: {
    what: "catalog page",
    unsigned: ErrorCodes.REMOTE_CATALOG_UNSIGNED,
    badSignature: ErrorCodes.REMOTE_CATALOG_BAD_SIGNATURE,
    wrongDevice: ErrorCodes.REMOTE_CATALOG_WRONG_DEVICE,
    expired: ErrorCodes.REMOTE_CATALOG_EXPIRED,
    notYetValid: ErrorCodes.REMOTE_CATALOG_NOT_YET_VALID,
  },
} as const satisfies Record<SignedKind, Record<string, string>>;

export const refuse = (code: ErrorCode, detail: string): Verdict => ({ ok: false, code, detail });

/**
 * Whether central signed this instruction for this kiosk and it is valid now: a key is configured,
 * the signature verifies over every field, the signed target is this kiosk, and the time is inside
 * [issuedAt, expiresAt] give or take the allowed clock skew. Only a verified message's fields are
 * read: the device id and times of an unsigned one mean nothing. Pure: the caller logs the verdict.
 */
export function checkSigned(kind: SignedKind, message: SignedInstruction, context: SignedContext): Verdict {
  const codes = CODES[kind];
  if (context.publicKey === null) {
    return refuse(
      ErrorCodes.REMOTE_NO_PUBLIC_KEY,
      "This kiosk has no command public key configured (remote.commandPublicKey).",
    );
  }
  if (message.signature === "") return refuse(codes.unsigned, `The ${codes.what} is not signed.`);
  if (!verifiesAs(kind, message, context.publicKey)) {
    return refuse(codes.badSignature, `The ${codes.what}'s signature does not verify with central's key.`);
  }
  if (message.deviceId !== context.deviceId) {
    return refuse(
      codes.wrongDevice,
      `The ${codes.what} was signed for ${message.deviceId}, not for this kiosk (${context.deviceId}).`,
    );
  }
  const now = context.now.getTime();
  if (Date.parse(message.expiresAt) + context.maxClockSkewMs < now) {
    return refuse(codes.expired, `The ${codes.what} expired at ${message.expiresAt}.`);
  }
  if (Date.parse(message.issuedAt) - context.maxClockSkewMs > now) {
    return refuse(
      codes.notYetValid,
      `The ${codes.what} claims to be issued in the future (${message.issuedAt}).`,
    );
  }
  return { ok: true };
}
