import type { Clock } from "../../../core/clock.js";
import { ErrorCodes } from "../../../core/error-codes.js";
import { newId as makeId } from "../../../core/ids.js";
import { isKioskError, KioskError } from "../../../core/kiosk-error.js";
import type { Logger } from "../../../core/logger.js";
import type { CentralDb } from "../../db/central-db.js";
import { writeAudit } from "../control/audit-log.js";
import type { CommandKeyHolder } from "../control/command-key.js";
import { type CommandSender, checkCommand } from "../control/command-sender.js";
import { type ConfigPusher, type DesiredSettings, parseManagedSettings } from "../control/config-pusher.js";
import type { ManagedSettingsCheck } from "../control/settings-check.js";
import { mergeSettings } from "./merge-settings.js";
import { describeGroup, type KioskGroup } from "./placement.js";
import { membersOf } from "./placement-queries.js";

/** How many kiosks' parts go out at once: each is a signature, two writes and a publication. */
const AT_ONCE = 4;

/** One kiosk's part of a group action: what CommandSender or ConfigPusher did, or why central refused. */
type Part = { commandId: string } | { configVersion: number } | { refusal: string };

/**
 * Commands and configurations for a group of kiosks: the action and its kiosks are recorded (and
 * audited) first, then each kiosk gets its own — a command signed for that kiosk through
 * CommandSender, or its next desired configuration through ConfigPusher — exactly as from its own
 * page. Each kiosk's row then names its command or configuration version, whose own row says what
 * became of it; a kiosk central refused (never heard from, a setting that does not fit its own)
 * gets the coded reason instead, and the others go on.
 */
export class GroupSender {
  readonly #newId: () => string;

  constructor(
    private readonly deps: {
      db: CentralDb;
      commands: CommandSender;
      configs: ConfigPusher;
      key: CommandKeyHolder;
      settingsCheck: ManagedSettingsCheck;
      clock: Clock;
      logger: Logger;
      newId?: () => string;
    },
  ) {
    this.#newId = deps.newId ?? makeId;
  }

  /** The kiosks a group action would go to; a coded error when there are none. */
  async members(group: KioskGroup): Promise<string[]> {
    const members = await membersOf(this.deps.db, group);
    if (members.length === 0) {
      throw new KioskError(
        ErrorCodes.DASHBOARD_GROUP_EMPTY,
        `No kiosk is in ${describeGroup(group)}: nothing was sent.`,
      );
    }
    return members;
  }

  async sendCommand(request: {
    group: KioskGroup;
    name: string;
    args: unknown;
    user: string;
  }): Promise<string> {
    const { name, args } = checkCommand(request.name, request.args);
    return this.#run(
      request.group,
      request.user,
      { kind: "command", name, content: args },
      async (deviceId) => {
        const sent = await this.deps.commands.send({ deviceId, name, args, user: request.user });
        return { commandId: sent.command.commandId };
      },
    );
  }

  async pushConfig(request: { group: KioskGroup; settingsText: string; user: string }): Promise<string> {
    const settings: DesiredSettings = parseManagedSettings(request.settingsText, this.deps.settingsCheck);
    return this.#run(
      request.group,
      request.user,
      { kind: "config", name: null, content: settings },
      async (deviceId) => {
        const pushed = await this.deps.configs.pushOver({
          deviceId,
          settings,
          merge: mergeSettings,
          user: request.user,
        });
        return { configVersion: pushed.version };
      },
    );
  }

  async #run(
    group: KioskGroup,
    user: string,
    action: { kind: "command" | "config"; name: string | null; content: unknown },
    sendOne: (deviceId: string) => Promise<Part>,
  ): Promise<string> {
    // Nothing is recorded that central cannot sign.
    this.deps.key.get();
    const members = await this.members(group);
    const { db, clock } = this.deps;
    const actionId = this.#newId();
    const at = clock.now().toISOString();
    await db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO group_actions (id, group_kind, group_name, kind, name, content, issued_by, issued_at)
         VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8::timestamptz)`,
        [
          actionId,
          group.kind,
          group.name,
          action.kind,
          action.name,
          JSON.stringify(action.content),
          user,
          at,
        ],
      );
      await tx.query("INSERT INTO group_action_kiosks (action_id, device_id) SELECT $1, unnest($2::text[])", [
        actionId,
        members,
      ]);
      await writeAudit(tx, {
        at,
        userName: user,
        action: "group-action",
        deviceId: null,
        commandId: null,
        detail: {
          actionId,
          kind: action.name ? `${action.kind} ${action.name}` : action.kind,
          group: describeGroup(group),
          content: action.content,
          kiosks: members.length,
        },
      });
    });
    const queue = [...members];
    const worker = async (): Promise<void> => {
      for (let deviceId = queue.shift(); deviceId !== undefined; deviceId = queue.shift()) {
        await this.#record(actionId, deviceId, await this.#attempt(deviceId, sendOne));
      }
    };
    await Promise.all(Array.from({ length: Math.min(AT_ONCE, members.length) }, worker));
    this.deps.logger.info(
      `${action.kind} to ${describeGroup(group)} by ${user}: ${members.length} kiosk(s)`,
      {
        actionId,
      },
    );
    return actionId;
  }

  async #attempt(deviceId: string, sendOne: (deviceId: string) => Promise<Part>): Promise<Part> {
    try {
      return await sendOne(deviceId);
    } catch (error) {
      if (isKioskError(error)) return { refusal: error.message };
      const code = ErrorCodes.INTERNAL;
      this.deps.logger.error(`[${code}] a group action's part for ${deviceId} failed`, {
        code,
        error: (error as Error).message,
      });
      return { refusal: `[${code}] Central failed to send this kiosk's part; see central's log.` };
    }
  }

  async #record(actionId: string, deviceId: string, part: Part): Promise<void> {
    await this.deps.db.query(
      `UPDATE group_action_kiosks SET command_id = $3, config_version = $4, refusal = $5
       WHERE action_id = $1 AND device_id = $2`,
      [
        actionId,
        deviceId,
        "commandId" in part ? part.commandId : null,
        "configVersion" in part ? part.configVersion : null,
        "refusal" in part ? part.refusal : null,
      ],
    );
  }
}
