import type { CentralDb, Sql } from "../../db/central-db.js";
import { writeAudit } from "../control/audit-log.js";
import { isoOf } from "../fleet/values.js";
import type { KioskGroup, Placement } from "./placement.js";
import { NO_PLACEMENT } from "./placement.js";

export async function placementOf(db: Sql, deviceId: string): Promise<Placement> {
  const [row] = await db.query<{ studio: string | null; tags: string[] }>(
    "SELECT studio, tags FROM kiosk_placements WHERE device_id = $1",
    [deviceId],
  );
  return row ? { studio: row.studio, tags: row.tags } : NO_PLACEMENT;
}

/**
 * Sets a kiosk's studio and tags (already checked: parseStudio, parseTags) with its audit entry, in
 * one transaction. A kiosk central has not heard from yet may be placed (at provisioning).
 */
export async function setPlacement(
  db: CentralDb,
  request: { deviceId: string; placement: Placement; user: string; at: string },
): Promise<{ changed: boolean }> {
  const { studio, tags } = request.placement;
  return db.transaction(async (tx) => {
    const before = await placementOf(tx, request.deviceId);
    if (before.studio === studio && before.tags.join(",") === tags.join(",")) return { changed: false };
    await tx.query(
      `INSERT INTO kiosk_placements (device_id, studio, tags, set_by, set_at)
       VALUES ($1, $2, $3::text[], $4, $5::timestamptz)
       ON CONFLICT (device_id) DO UPDATE SET studio = excluded.studio, tags = excluded.tags,
         set_by = excluded.set_by, set_at = excluded.set_at`,
      [request.deviceId, studio, tags, request.user, request.at],
    );
    await writeAudit(tx, {
      at: request.at,
      userName: request.user,
      action: "placement",
      deviceId: request.deviceId,
      commandId: null,
      detail: { studio, tags, before: { studio: before.studio, tags: before.tags } },
    });
    return { changed: true };
  });
}

/** Every studio and tag kiosks are placed in, each with how many kiosks it has. */
export async function groupCounts(
  db: Sql,
): Promise<{ studios: { name: string; kiosks: number }[]; tags: { name: string; kiosks: number }[] }> {
  const [studios, tags] = await Promise.all([
    db.query<{ name: string; kiosks: unknown }>(
      "SELECT studio AS name, count(*) AS kiosks FROM kiosk_placements WHERE studio IS NOT NULL GROUP BY studio ORDER BY studio",
    ),
    db.query<{ name: string; kiosks: unknown }>(
      "SELECT tag AS name, count(*) AS kiosks FROM kiosk_placements, unnest(tags) AS tag GROUP BY tag ORDER BY tag",
    ),
  ]);
  const counted = (rows: { name: string; kiosks: unknown }[]) =>
    rows.map((row) => ({ name: row.name, kiosks: Number(row.kiosks) }));
  return { studios: counted(studios), tags: counted(tags) };
}

/** The kiosks of a group, by id: those placed in it, whether or not central has heard from them. */
export async function membersOf(db: Sql, group: KioskGroup): Promise<string[]> {
  const rows = await db.query<{ device_id: string }>(
    group.kind === "studio"
      ? "SELECT device_id FROM kiosk_placements WHERE studio = $1 ORDER BY device_id"
      : "SELECT device_id FROM kiosk_placements WHERE tags @> ARRAY[$1::text] ORDER BY device_id",
    [group.name],
  );
  return rows.map((row) => row.device_id);
}

/** A kiosk central placed (provisioned, or set on the Groups page) that has never connected. */
export interface AwaitedKiosk {
  readonly deviceId: string;
  readonly studio: string | null;
  readonly tags: readonly string[];
  readonly placedAt: string | null;
}

/** Kiosks placed in a studio or tag that central has never heard from, by id. */
export async function placedNeverConnected(db: Sql): Promise<AwaitedKiosk[]> {
  const rows = await db.query<{
    device_id: string;
    studio: string | null;
    tags: string[] | null;
    set_at: unknown;
  }>(
    `SELECT p.device_id, p.studio, p.tags, p.set_at FROM kiosk_placements p
     WHERE NOT EXISTS (SELECT 1 FROM devices d WHERE d.device_id = p.device_id) ORDER BY p.device_id`,
  );
  return rows.map((row) => ({
    deviceId: row.device_id,
    studio: row.studio,
    tags: row.tags ?? [],
    placedAt: isoOf(row.set_at),
  }));
}
