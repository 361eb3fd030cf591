import { reportedConfigSchema } from "../../../sync/protocol/messages.js";
import type { Sql } from "../../db/central-db.js";
import { isoOf } from "../fleet/values.js";
import type { KioskGroup } from "./placement.js";

/** One kiosk of a group action, with what its own command or configuration row says now. */
export interface GroupActionPart {
  readonly deviceId: string;
  readonly commandId: string | null;
  readonly configVersion: number | null;
  /** Central refused this kiosk's part (a coded message). */
  readonly refusal: string | null;
  /** The commands or desired_configs row's delivery, whatever values it takes. */
  readonly delivery: string | null;
  readonly expiresAt: string | null;
  /** The kiosk's last answer to the command. */
  readonly answer: {
    readonly outcome: string;
    readonly code: string | null;
    readonly detail: string | null;
  } | null;
  /** The desired version the kiosk reports running, and the last it refused. */
  readonly runs: number | null;
  readonly refusedVersion: number | null;
}

export interface GroupActionView {
  readonly id: string;
  readonly group: KioskGroup;
  readonly kind: "command" | "config";
  readonly name: string | null;
  readonly content: Readonly<Record<string, unknown>>;
  readonly issuedBy: string;
  readonly issuedAt: string | null;
}

interface ActionRow {
  id: string;
  group_kind: "studio" | "tag";
  group_name: string;
  kind: "command" | "config";
  name: string | null;
  content: Record<string, unknown>;
  issued_by: string;
  issued_at: unknown;
}

const actionView = (row: ActionRow): GroupActionView => ({
  id: row.id,
  group: { kind: row.group_kind, name: row.group_name },
  kind: row.kind,
  name: row.name,
  content: row.content,
  issuedBy: row.issued_by,
  issuedAt: isoOf(row.issued_at),
});

export async function findGroupAction(db: Sql, id: string): Promise<GroupActionView | null> {
  const [row] = await db.query<ActionRow>("SELECT * FROM group_actions WHERE id = $1", [id]);
  return row ? actionView(row) : null;
}

export async function recentGroupActions(db: Sql, limit = 20): Promise<GroupActionView[]> {
  return (
    await db.query<ActionRow>("SELECT * FROM group_actions ORDER BY issued_at DESC, id DESC LIMIT $1", [
      limit,
    ])
  ).map(actionView);
}

/** Each kiosk's part, by id. A command's answer counts only from the kiosk it was for. */
export async function partsOf(db: Sql, actionId: string): Promise<GroupActionPart[]> {
  const rows = await db.query<{
    device_id: string;
    command_id: string | null;
    config_version: number | null;
    refusal: string | null;
    delivery: string | null;
    expires_at: unknown;
    answer: { outcome: string; code: string | null; detail: string | null } | null;
    reported_config: unknown;
  }>(
    `SELECT k.device_id, k.command_id, k.config_version, k.refusal,
            coalesce(c.delivery, d.delivery) AS delivery, c.expires_at,
            (SELECT json_build_object('outcome', r.outcome, 'code', r.code, 'detail', r.detail)
               FROM command_results r WHERE r.command_id = c.command_id AND r.device_id = c.device_id
               ORDER BY r.at DESC, r.received_at DESC LIMIT 1) AS answer,
            dev.reported_config
     FROM group_action_kiosks k
     LEFT JOIN commands c ON c.command_id = k.command_id AND c.device_id = k.device_id
     LEFT JOIN desired_configs d ON d.device_id = k.device_id AND d.version = k.config_version
     LEFT JOIN devices dev ON dev.device_id = k.device_id
     WHERE k.action_id = $1 ORDER BY k.device_id`,
    [actionId],
  );
  return rows.map((row) => {
    const reported = reportedConfigSchema.safeParse(row.reported_config);
    return {
      deviceId: row.device_id,
      commandId: row.command_id,
      configVersion: row.config_version,
      refusal: row.refusal,
      delivery: row.delivery,
      expiresAt: isoOf(row.expires_at),
      answer: row.answer,
      runs: reported.success ? reported.data.version : null,
      refusedVersion: reported.success ? (reported.data.refused?.version ?? null) : null,
    };
  });
}
