import type { Clock } from "../../../core/clock.js";
import { ErrorCodes } from "../../../core/error-codes.js";
import { newId as makeId } from "../../../core/ids.js";
import { KioskError } from "../../../core/kiosk-error.js";
import type { Logger } from "../../../core/logger.js";
import { describeIssues } from "../../../core/zod-issues.js";
import { COMMAND_ARGS } from "../../../sync/protocol/command-args.js";
import { signCommand } from "../../../sync/protocol/command-signature.js";
import { COMMAND_NAMES, type Command, type CommandName } from "../../../sync/protocol/messages.js";
import type { CentralDb } from "../../db/central-db.js";
import { writeAudit } from "./audit-log.js";
import type { CommandCourier } from "./command-courier.js";
import type { CommandKeyHolder } from "./command-key.js";

/**
 * What became of a command as it was sent: `sent` (the broker took it for an online kiosk),
 * `queued` (the kiosk is offline: it waits and is delivered when the kiosk is back, until it
 * expires), `broker-unreachable` (the kiosk is online but the broker did not take it: it waits too,
 * and goes out when central reaches the broker again).
 */
export type CommandDelivery = "sent" | "queued" | "broker-unreachable";

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
 * Builds, signs, records and publishes commands. The command (as signed) and its audit entry are
 * committed before anything is published, so nothing reaches a kiosk that the audit log does not
 * show. Kiosks use clean sessions — the broker would drop a command for an offline kiosk — so such a
 * command is kept `queued` and the courier publishes it when the kiosk is online again, until it
 * expires. A command for an online kiosk is published at once, behind any older one still queued
 * for it.
 */
export class CommandSender {
  readonly #newId: () => string;

  constructor(
    private readonly deps: {
      db: CentralDb;
      courier: CommandCourier;
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
        `INSERT INTO commands (command_id, device_id, name, args, issued_by, issued_at, expires_at, delivery, signed)
         VALUES ($1, $2, $3, $4::jsonb, $5, $6::timestamptz, $7::timestamptz, 'queued', $8::jsonb)`,
        [
          command.commandId,
          request.deviceId,
          command.name,
          JSON.stringify(command.args),
          command.issuedBy,
          command.issuedAt,
          command.expiresAt,
          JSON.stringify(command),
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
      this.deps.logger.info(
        `${command.name} for ${request.deviceId} by ${request.user}: queued until the kiosk is online (expires ${command.expiresAt})`,
        { commandId: command.commandId },
      );
      return { command, delivery: "queued" };
    }
    // Through the courier, behind anything older still waiting for this kiosk.
    await this.deps.courier.deliverTo(request.deviceId);
    const [row] = await db.query<{ delivery: string; attempts: number }>(
      "SELECT delivery, attempts FROM commands WHERE command_id = $1",
      [command.commandId],
    );
    const delivery: CommandDelivery =
      row?.delivery === "delivered" ? "sent" : (row?.attempts ?? 0) > 0 ? "broker-unreachable" : "queued";
    if (delivery === "sent") {
      this.deps.logger.info(`${command.name} for ${request.deviceId} by ${request.user}: sent`, {
        commandId: command.commandId,
      });
    }
    return { command, delivery };
  }
}
