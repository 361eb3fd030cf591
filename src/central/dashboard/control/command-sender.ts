import type { Clock } from "../../../core/clock.js";
import { ErrorCodes } from "../../../core/error-codes.js";
import { newId as makeId } from "../../../core/ids.js";
import { KioskError } from "../../../core/kiosk-error.js";
import type { Logger } from "../../../core/logger.js";
import { describeIssues } from "../../../core/zod-issues.js";
import { encodeMessage } from "../../../sync/protocol/codec.js";
import { COMMAND_ARGS } from "../../../sync/protocol/command-args.js";
import { signCommand } from "../../../sync/protocol/command-signature.js";
import { COMMAND_NAMES, type Command, type CommandName } from "../../../sync/protocol/messages.js";
import type { CentralDb } from "../../db/central-db.js";
import { writeAudit } from "./audit-log.js";
import type { CommandKeyHolder } from "./command-key.js";
import type { Downlink } from "./downlink.js";

export type CommandDelivery = "sent" | "kiosk-offline" | "broker-unreachable";

export interface SentCommand {
  readonly command: Command;
  readonly delivery: CommandDelivery;
}

export function isCommandName(value: string): value is CommandName {
  return (COMMAND_NAMES as readonly string[]).includes(value);
}

/** Checks a command's name and arguments as central will sign them; coded error listing problems. */
export function checkCommand(name: string, args: unknown): { name: CommandName; args: Command["args"] } {
  if (!isCommandName(name)) {
    throw new KioskError(ErrorCodes.DASHBOARD_COMMAND_INVALID, `There is no command "${name.slice(0, 40)}".`);
  }
  const parsed = COMMAND_ARGS[name].safeParse(args);
  if (!parsed.success) {
    throw new KioskError(
      ErrorCodes.DASHBOARD_COMMAND_INVALID,
      `The ${name} command's arguments are not valid: ${describeIssues(parsed.error.issues).join("; ")}.`,
      { command: name },
    );
  }
  // Zod's output of a JSON schema is JSON: the arguments go on the wire as they are.
  return { name, args: parsed.data as Command["args"] };
}

/**
 * Builds, signs, records and publishes commands. The command and its audit entry are committed
 * before anything is published, so nothing reaches a kiosk that the audit log does not show.
 * Kiosks use clean sessions — a command to an offline kiosk would be dropped by the broker — so
 * such a command is not sent, and says so; the operator sends it again when the kiosk is back.
 */
export class CommandSender {
  readonly #newId: () => string;

  constructor(
    private readonly deps: {
      db: CentralDb;
      downlink: Downlink;
      key: CommandKeyHolder;
      ttlSeconds: number;
      clock: Clock;
      logger: Logger;
      newId?: () => string;
    },
  ) {
    this.#newId = deps.newId ?? makeId;
  }

  async send(request: { deviceId: string; name: string; args: unknown; user: string }): Promise<SentCommand> {
    const { name, args } = checkCommand(request.name, request.args);
    const key = this.deps.key.get();
    const { db, clock } = this.deps;
    const [device] = await db.query<{ state: string }>("SELECT state FROM devices WHERE device_id = $1", [
      request.deviceId,
    ]);
    if (!device) {
      throw new KioskError(
        ErrorCodes.DASHBOARD_KIOSK_UNKNOWN,
        `Central has never heard from ${request.deviceId}.`,
        {
          deviceId: request.deviceId,
        },
      );
    }
    const now = clock.now();
    const command = signCommand(
      {
        commandId: this.#newId(),
        // Signed with the rest: the command runs on this kiosk only, wherever it is replayed.
        deviceId: request.deviceId,
        name,
        args,
        issuedAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + this.deps.ttlSeconds * 1000).toISOString(),
        issuedBy: request.user,
      },
      key,
    );
    const online = device.state === "online";
    await db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO commands (command_id, device_id, name, args, issued_by, issued_at, expires_at, delivery)
         VALUES ($1, $2, $3, $4::jsonb, $5, $6::timestamptz, $7::timestamptz, $8)`,
        [
          command.commandId,
          request.deviceId,
          command.name,
          JSON.stringify(command.args),
          command.issuedBy,
          command.issuedAt,
          command.expiresAt,
          online ? "sending" : "kiosk-offline",
        ],
      );
      await writeAudit(tx, {
        at: command.issuedAt,
        userName: request.user,
        action: "command",
        deviceId: request.deviceId,
        commandId: command.commandId,
        detail: { name: command.name, args: command.args, expiresAt: command.expiresAt },
      });
    });
    if (!online) {
      const code = ErrorCodes.DASHBOARD_KIOSK_OFFLINE;
      this.deps.logger.warn(
        `[${code}] ${command.name} for ${request.deviceId} not sent: the kiosk is offline`,
        {
          code,
          commandId: command.commandId,
        },
      );
      return { command, delivery: "kiosk-offline" };
    }
    const message = encodeMessage("command", request.deviceId, command, {
      messageId: this.#newId(),
      sentAt: clock.now().toISOString(),
    });
    const delivery: CommandDelivery = (await this.deps.downlink.publish(message))
      ? "sent"
      : "broker-unreachable";
    await db.query("UPDATE commands SET delivery = $2 WHERE command_id = $1", [command.commandId, delivery]);
    if (delivery === "sent") {
      this.deps.logger.info(`${command.name} for ${request.deviceId} by ${request.user}: sent`, {
        commandId: command.commandId,
      });
    } else {
      const code = ErrorCodes.DASHBOARD_BROKER_UNREACHABLE;
      this.deps.logger.error(
        `[${code}] ${command.name} for ${request.deviceId} not sent: the broker did not take it`,
        {
          code,
          commandId: command.commandId,
        },
      );
    }
    return { command, delivery };
  }
}
