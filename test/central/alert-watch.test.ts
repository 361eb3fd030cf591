import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AlertNotifier } from "../../src/central/alerts/alert-notifier.js";
import { openAlerts } from "../../src/central/alerts/alert-store.js";
import { AlertWatch } from "../../src/central/alerts/alert-watch.js";
import { type AlertsConfig, alertsConfigSchema } from "../../src/central/alerts/config.js";
import { NotificationOutbox } from "../../src/central/alerts/notification-outbox.js";
import type { CentralDb } from "../../src/central/db/central-db.js";
import { openPglite } from "../../src/central/db/pglite-db.js";
import { openPostgres } from "../../src/central/db/postgres-db.js";
import { writeStates, writeTelemetry } from "../../src/central/device-writer.js";
import { migrateCentral } from "../../src/central/migrate.js";
import { fixedClock } from "../../src/core/clock.js";
import { newId } from "../../src/core/ids.js";
import { createMemoryLogger } from "../../src/core/logger.js";
import type { Telemetry } from "../../src/sync/protocol/messages.js";
import { createTestDatabase, type TestDatabase } from "../helpers/postgres.js";

const KIOSK = "kiosk-watch-01";

const telemetry = (printer: "connected" | "paper-out"): Telemetry => ({
  softwareVersion: "1.0.0",
  uptimeSeconds: 10,
  outbox: { depth: 0, oldestUnsyncedAgeSeconds: null },
  drivers: { printer: { status: printer, detail: null } },
  disk: { freeBytes: 50, totalBytes: 100 },
  lastSyncAt: null,
  lock: { locked: false, reason: null, by: null },
});

/**
 * The watch on both databases central runs on, with two watches over one database standing for two
 * central processes: each raise and each clear is made (and so announced) by exactly one of them.
 */
describe.each([
  ["PostgreSQL", "postgres"],
  ["PGlite", "pglite"],
] as const)("the alert watch on %s", (_name, kind) => {
  let db: CentralDb;
  let database: TestDatabase | null = null;
  const clock = fixedClock("2026-12-03T10:00:00.000Z");
  const watch = (config: AlertsConfig) => {
    const outbox = new NotificationOutbox({
      db,
      claimant: `watch-${newId()}`,
      leaseMs: 120_000,
      maxAgeMs: 86_400_000,
      clock,
    });
    return new AlertWatch({
      db,
      config,
      notifier: new AlertNotifier({
        outbox,
        email: null,
        webhook: null,
        dashboardUrl: null,
        logger: createMemoryLogger(),
      }),
      outbox,
      logger: createMemoryLogger(),
      clock,
    });
  };
  const config = alertsConfigSchema.parse({ rules: { offline: { afterSeconds: 60 } } });
  const state = async (online: boolean) => {
    await writeStates(
      db,
      [
        {
          deviceId: KIOSK,
          state: online
            ? { state: "online", connectionId: newId(), reason: "connected" }
            : { state: "offline", connectionId: newId(), reason: "connection-lost" },
        },
      ],
      clock.now().toISOString(),
    );
  };
  const bothRound = async (first: AlertWatch, second: AlertWatch) =>
    (await Promise.all([first.round(), second.round()])).flat();

  beforeAll(async () => {
    if (kind === "postgres") {
      database = await createTestDatabase();
      db = await openPostgres({ url: database.url, poolSize: 4, logger: createMemoryLogger() });
    } else {
      db = await openPglite("memory://");
    }
    await migrateCentral(db, createMemoryLogger());
  });

  afterAll(async () => {
    await db?.close();
    await database?.drop();
  });

  it("raises once and clears once across two central processes; an offline kiosk's telemetry alerts stay open", async () => {
    const [one, two] = [watch(config), watch(config)];
    await state(true);
    await writeTelemetry(db, new Map([[KIOSK, telemetry("paper-out")]]), clock.now().toISOString());
    const raised = await bothRound(one, two);
    expect(raised.map((change) => `${change.event} ${change.alert.rule}`)).toEqual(["raised printer"]);
    expect(await bothRound(one, two)).toEqual([]);

    // Offline, not yet for the threshold: the printer alert is kept (its report is as of then).
    await state(false);
    clock.advance(59_000);
    expect(await bothRound(one, two)).toEqual([]);
    clock.advance(1_000);
    const offline = await bothRound(one, two);
    expect(offline.map((change) => `${change.event} ${change.alert.rule}`)).toEqual(["raised offline"]);
    expect((await openAlerts(db, KIOSK)).map((alert) => alert.rule).sort()).toEqual(["offline", "printer"]);

    // Back, with paper: both clear, each announced once.
    await state(true);
    await writeTelemetry(db, new Map([[KIOSK, telemetry("connected")]]), clock.now().toISOString());
    clock.advance(1_000);
    const cleared = await bothRound(one, two);
    expect(cleared.map((change) => `${change.event} ${change.alert.rule}`).sort()).toEqual([
      "cleared offline",
      "cleared printer",
    ]);
    expect(cleared.every((change) => change.alert.clearedAt === clock.now().toISOString())).toBe(true);
    expect(await openAlerts(db, KIOSK)).toEqual([]);
    const rows = await db.query<{ rule: string }>("SELECT rule FROM alerts WHERE device_id = $1", [KIOSK]);
    expect(rows).toHaveLength(2);
  });

  it("closes a turned-off rule's open alert quietly", async () => {
    await writeTelemetry(db, new Map([[KIOSK, telemetry("paper-out")]]), clock.now().toISOString());
    expect((await watch(config).round()).map((change) => change.alert.rule)).toEqual(["printer"]);
    const off = alertsConfigSchema.parse({ rules: { printer: { enabled: false } } });
    expect(await watch(off).round()).toEqual([]);
    expect(await openAlerts(db, KIOSK)).toEqual([]);
  });
});
