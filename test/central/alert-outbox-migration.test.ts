import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CentralDb } from "../../src/central/db/central-db.js";
import { openPglite } from "../../src/central/db/pglite-db.js";
import { openPostgres } from "../../src/central/db/postgres-db.js";
import { migrateCentral } from "../../src/central/migrate.js";
import { alertNotificationOutbox } from "../../src/central/migrations/016-alert-notification-outbox.js";
import { CENTRAL_MIGRATIONS } from "../../src/central/migrations/index.js";
import { createMemoryLogger } from "../../src/core/logger.js";
import { createTestDatabase, type TestDatabase } from "../helpers/postgres.js";

const BEFORE = CENTRAL_MIGRATIONS.slice(0, CENTRAL_MIGRATIONS.indexOf(alertNotificationOutbox));
const SENT_AT = "2026-11-30T09:15:00.000Z";

/** Notifications recorded before 016 keep their outcome and are queued as of when they were recorded. */
describe.each([
  ["PostgreSQL", "postgres"],
  ["PGlite", "pglite"],
] as const)("migration 016 (alert notification outbox) on %s", (_name, kind) => {
  let db: CentralDb;
  let database: TestDatabase | null = null;
  let alertId = "";

  beforeAll(async () => {
    if (kind === "postgres") {
      database = await createTestDatabase();
      db = await openPostgres({ url: database.url, poolSize: 2, logger: createMemoryLogger() });
    } else {
      db = await openPglite("memory://");
    }
    await migrateCentral(db, createMemoryLogger(), BEFORE);
    const [alert] = await db.query<{ id: unknown }>(
      "INSERT INTO alerts (device_id, rule, raised_at, detail) VALUES ('kiosk-old-01', 'offline', $1::timestamptz, 'offline') RETURNING id",
      [SENT_AT],
    );
    alertId = String(alert?.id);
    await db.query(
      `INSERT INTO alert_notifications (alert_id, event, channel, outcome, attempts, error, at)
       VALUES ($1::bigint, 'raised', 'email', 'sent', 1, NULL, $2::timestamptz)`,
      [alertId, SENT_AT],
    );
    await migrateCentral(db, createMemoryLogger());
  }, 90_000);

  afterAll(async () => {
    await db?.close();
    await database?.drop();
  });

  it("keeps old outcomes, unclaimed, queued when they were recorded; allows 'pending' and nothing unknown", async () => {
    const [old] = await db.query<{ outcome: string; queued_at: Date | string; claimed_by: string | null }>(
      "SELECT outcome, queued_at, claimed_by FROM alert_notifications WHERE alert_id = $1::bigint",
      [alertId],
    );
    expect(old?.outcome).toBe("sent");
    expect(new Date(old?.queued_at ?? 0).toISOString()).toBe(SENT_AT);
    expect(old?.claimed_by).toBeNull();
    const pending = (outcome: string) =>
      db.query(
        `INSERT INTO alert_notifications (alert_id, event, channel, outcome, attempts, at, queued_at)
         VALUES ($1::bigint, 'cleared', 'webhook', $2, 0, now(), now())`,
        [alertId, outcome],
      );
    await pending("pending");
    await expect(pending("sending")).rejects.toThrow(/alert_notifications_outcome_check/);
    await expect(
      db.query(
        "INSERT INTO alert_notifications (alert_id, event, channel, outcome, attempts, at) VALUES ($1::bigint, 'cleared', 'email', 'pending', 0, now())",
        [alertId],
      ),
    ).rejects.toThrow(/queued_at/);
  });
});
