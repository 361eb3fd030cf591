import type { KeyObject } from "node:crypto";
import type { z } from "zod";
import type { Clock } from "../core/clock.js";
import { ErrorCodes } from "../core/error-codes.js";
import { isKioskError, KioskError } from "../core/kiosk-error.js";
import type { Logger } from "../core/logger.js";
import type { RemoteCommandLog } from "../store/remote-command-log.js";
import { COMMAND_ARGS, type CommandArgs } from "../sync/protocol/command-args.js";
import type { Command, CommandName, CommandResult } from "../sync/protocol/messages.js";
import { checkCommand } from "./command-guard.js";
import type { JsonValue, KioskControl } from "./kiosk-control.js";

export interface RemoteCommandsDeps {
  readonly control: KioskControl;
  readonly log: RemoteCommandLog;
  /** Central's public key, looked up for each command (a key file may appear after start); null: none. */
  readonly publicKey: () => KeyObject | null;
  /** This kiosk's id: a command signed for another kiosk is refused. */
  readonly deviceId: string;
  readonly maxClockSkewMs: number;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Sends the result to central (the sync agent). */
  readonly report: (result: CommandResult) => void;
}

/** Refusals of a command whose signature did not verify: nothing in it can be trusted or kept. */
const UNVERIFIED: ReadonlySet<string> = new Set([
  ErrorCodes.REMOTE_NO_PUBLIC_KEY,
  ErrorCodes.REMOTE_COMMAND_UNSIGNED,
  ErrorCodes.REMOTE_COMMAND_BAD_SIGNATURE,
]);

/**
 * Takes commands from central: refuses unsigned, badly signed, other kiosks', expired, replayed and
 * malformed ones with a coded result, runs the rest, and reports every outcome. Each command id is
 * written down before it runs, so a replay is refused even after a restart.
 */
export class RemoteCommands {
  constructor(private readonly deps: RemoteCommandsDeps) {}

  async handle(command: Command): Promise<CommandResult> {
    const { log, clock, logger } = this.deps;
    const now = clock.now();
    const verdict = checkCommand(command, {
      publicKey: this.deps.publicKey(),
      deviceId: this.deps.deviceId,
      now,
      maxClockSkewMs: this.deps.maxClockSkewMs,
      seen: (id) => log.seen(id),
    });
    const taken = {
      commandId: command.commandId,
      name: command.name,
      issuedBy: command.issuedBy,
      receivedAt: now.toISOString(),
      expiresAt: command.expiresAt,
    };
    if (!verdict.ok) {
      // A replay is not written again: the original entry stays as it was. Nor is an unverified
      // command: its id and expiry are anyone's, and would only fill the kiosk's disk.
      if (verdict.code !== ErrorCodes.REMOTE_COMMAND_REPLAYED && !UNVERIFIED.has(verdict.code))
        log.add({ ...taken, outcome: "rejected", code: verdict.code });
      logger.warn(
        `refused command ${command.name} (${command.commandId}): [${verdict.code}] ${verdict.detail}`,
      );
      return this.#report(command, "rejected", verdict.code, verdict.detail, null);
    }
    if (!log.add({ ...taken, outcome: "accepted", code: null })) {
      return this.#report(
        command,
        "rejected",
        ErrorCodes.REMOTE_COMMAND_REPLAYED,
        "This command was already received.",
        null,
      );
    }
    logger.info(`command ${command.name} from ${command.issuedBy}`, { commandId: command.commandId });
    try {
      const data = await this.#run(command);
      // An update is only handed over here: its end ("completed" or "failed") comes after the restart.
      return this.#report(command, command.name === "update" ? "accepted" : "completed", null, null, data);
    } catch (error) {
      const code = isKioskError(error) ? error.code : ErrorCodes.REMOTE_COMMAND_FAILED;
      const detail = isKioskError(error) ? error.detail : (error as Error).message;
      return this.#report(command, "failed", code, detail.slice(0, 500), null);
    }
  }

  async #run(command: Command): Promise<Record<string, JsonValue> | null> {
    const { control } = this.deps;
    // The same argument schemas central checks before it signs (src/sync/protocol/command-args.ts).
    const args = <N extends CommandName>(name: N): CommandArgs<N> => {
      const parsed = (COMMAND_ARGS[name] as unknown as z.ZodType<CommandArgs<N>>).safeParse(command.args);
      if (!parsed.success) {
        throw new KioskError(
          ErrorCodes.REMOTE_COMMAND_ARGS_INVALID,
          `The ${command.name} command's arguments are invalid.`,
        );
      }
      return parsed.data;
    };
    switch (command.name) {
      case "lock":
        control.lock(args("lock").reason ?? "Out of service", `central:${command.issuedBy}`);
        return null;
      case "unlock":
        args("unlock");
        control.unlock(`central:${command.issuedBy}`);
        return null;
      case "restart":
        args("restart");
        // Report first: the restart closes the connection the result would go over.
        setImmediate(() => {
          control
            .restart()
            .catch((error: unknown) => this.deps.logger.error(`restart failed: ${(error as Error).message}`));
        });
        return null;
      case "sync-now":
        args("sync-now");
        return { connected: control.syncNow() };
      case "reload-invoices":
        args("reload-invoices");
        return { requested: control.reloadInvoices() };
      case "set-log-level": {
        const { level } = args("set-log-level");
        control.setLogLevel(level);
        return { level };
      }
      case "send-diagnostics":
        args("send-diagnostics");
        return control.diagnostics();
      case "update":
        return control.update(args("update"), command.commandId);
    }
  }

  #report(
    command: Command,
    outcome: CommandResult["outcome"],
    code: string | null,
    detail: string | null,
    data: Record<string, JsonValue> | null,
  ): CommandResult {
    const result: CommandResult = {
      commandId: command.commandId,
      outcome,
      code,
      detail,
      data,
      at: this.deps.clock.now().toISOString(),
    };
    this.deps.report(result);
    return result;
  }
}
