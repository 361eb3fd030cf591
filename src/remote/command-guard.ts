import type { KeyObject } from "node:crypto";
import { type ErrorCode, ErrorCodes } from "../core/error-codes.js";
import { hasValidSignature } from "../sync/protocol/command-signature.js";
import type { Command } from "../sync/protocol/messages.js";

export type Verdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly code: ErrorCode; readonly detail: string };

export interface GuardContext {
  /** Central's public key; null when none is configured (every command is refused). */
  readonly publicKey: KeyObject | null;
  readonly now: Date;
  readonly maxClockSkewMs: number;
  /** Whether this command id was taken (or refused) before. */
  readonly seen: (commandId: string) => boolean;
}

const refuse = (code: ErrorCode, detail: string): Verdict => ({ ok: false, code, detail });

/**
 * Decides whether a command from the broker may run: signed by central's key, not expired, not
 * issued in the future, and never seen before. Pure: the caller records the verdict.
 */
export function checkCommand(command: Command, context: GuardContext): Verdict {
  if (context.publicKey === null) {
    return refuse(
      ErrorCodes.REMOTE_NO_PUBLIC_KEY,
      "This kiosk has no command public key configured (remote.commandPublicKey).",
    );
  }
  if (command.signature === "")
    return refuse(ErrorCodes.REMOTE_COMMAND_UNSIGNED, "The command is not signed.");
  if (!hasValidSignature(command, context.publicKey)) {
    return refuse(
      ErrorCodes.REMOTE_COMMAND_BAD_SIGNATURE,
      "The command's signature does not verify with central's key.",
    );
  }
  if (context.seen(command.commandId)) {
    return refuse(
      ErrorCodes.REMOTE_COMMAND_REPLAYED,
      "This command was already received; a replay is refused.",
    );
  }
  const now = context.now.getTime();
  if (Date.parse(command.expiresAt) + context.maxClockSkewMs < now) {
    return refuse(ErrorCodes.REMOTE_COMMAND_EXPIRED, `The command expired at ${command.expiresAt}.`);
  }
  if (Date.parse(command.issuedAt) - context.maxClockSkewMs > now) {
    return refuse(
      ErrorCodes.REMOTE_COMMAND_NOT_YET_VALID,
      `The command claims to be issued in the future (${command.issuedAt}).`,
    );
  }
  return { ok: true };
}
