import { z } from "zod";
import type { CommandName } from "./messages.js";

/** The levels a kiosk can be switched to remotely (the kiosk's remote commands take these). */
export const LOG_LEVELS = ["error", "warn", "info", "debug"] as const;

/**
 * The arguments each command takes: central checks them before it signs a command, and a kiosk can
 * check them again before acting. Unknown arguments are errors.
 */
export const COMMAND_ARGS = {
  /** Shows the "Out of service" screen, with the reason staff see. */
  lock: z.strictObject({ reason: z.string().trim().min(1).max(200).optional() }),
  unlock: z.strictObject({}),
  restart: z.strictObject({}),
  "sync-now": z.strictObject({}),
  "reload-invoices": z.strictObject({}),
  "set-log-level": z.strictObject({ level: z.enum(LOG_LEVELS) }),
  "send-diagnostics": z.strictObject({}),
  /**
   * Install a release: where to fetch it (its .sha256 and .sha256.sig beside it) and the checksum
   * central signs along. The kiosk also checks the release key's own signature before it installs.
   */
  update: z.strictObject({
    version: z
      .string()
      .max(64)
      .regex(/^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$/),
    url: z
      .string()
      .max(500)
      .regex(/^https?:\/\/[^\s]+\/spectra-kiosk-[^/\s]+-linux-(?:x64|arm64)\.tar\.gz$/),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
  }),
} as const satisfies Record<CommandName, z.ZodType>;

export type CommandArgs<N extends CommandName> = z.infer<(typeof COMMAND_ARGS)[N]>;
