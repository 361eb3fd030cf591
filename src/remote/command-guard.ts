import { ErrorCodes } from "../core/error-codes.js";
import type { Command } from "../sync/protocol/messages.js";
import { checkSigned, refuse, type SignedContext, type Verdict } from "./signed-guard.js";

export type { Verdict } from "./signed-guard.js";

export interface GuardContext extends SignedContext {
  /** Whether this command id was taken before. */
  readonly seen: (commandId: string) => boolean;
}

/**
 * Decides whether a command from the broker may run: signed by central's key for this kiosk, not
 * expired, not issued in the future, and never seen before. Pure: the caller records the verdict.
 */
export function checkCommand(command: Command, context: GuardContext): Verdict {
  const signed = checkSigned("command", command, context);
  if (!signed.ok) return signed;
  if (context.seen(command.commandId)) {
    return refuse(
      ErrorCodes.REMOTE_COMMAND_REPLAYED,
      "This command was already received; a replay is refused.",
    );
  }
  return { ok: true };
}
