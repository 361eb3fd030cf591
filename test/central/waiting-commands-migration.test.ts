import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CentralDb } from "../../src/central/db/central-db.js";
import { openPglite } from "../../src/central/db/pglite-db.js";
import { openPostgres } from "../../src/central/db/postgres-db.js";
import { migrateCentral } from "../../src/central/migrate.js";
import { waitingCommands } from "../../src/central/migrations/013-waiting-commands.js";
import { CENTRAL_MIGRATIONS } from "../../src/central/migrations/index.js";
import { createMemoryLogger } from "../../src/core/logger.js";
import { createTestDatabase, type TestDatabase } from "../helpers/postgres.js";

const BEFORE = CENTRAL_MIGRATIONS.slice(0, CENTRAL_MIGRATIONS.indexOf(waitingCommands));

const insert = (db: CentralDb, id: string, delivery: string, signed: string | null = null) =>
  db.query(
    `INSERT INTO commands (command_id, device_id, name, args, issued_by, issued_at, expires_at, delivery${signed === null ? "" : ", signed"})
     VALUES ($1, 'kiosk-old-01', 'lock', '{}'::jsonb, 'ops@studio', now(), now() + interval '5 minutes', $2${signed === null ? "" : ", $3::jsonb"})`,
    signed === null ? [id, delivery] : [id, delivery, signed],
  );

/** Commands from before 013 keep what they were; the new states are the only ones allowed after. */
describe.each([
  ["PostgreSQL", "postgres"],
  ["PGlite", "pglite"],
] as const)("migration 013 (commands that wait) on %s", (_name, kind) => {
  let db: CentralDb;
  let database: TestDatabase | null = null;

  beforeAll(async () => {
    if (kind === "postgres") {
      database = await createTestDatabase();
      db = await openPostgres({ url: database.url, poolSize: 2, logger: createMemoryLogger() });
    } else {
      db = await openPglite("memory://");
    }
    await migrateCentral(db, createMemoryLogger(), BEFORE);
    for (const delivery of ["sent", "sending", "kiosk-offline", "broker-unreachable"])
      await insert(db, `old-${delivery}`, delivery);
    await migrateCentral(db, createMemoryLogger());
  });

  afterAll(async () => {
    await db?.close();
    await database?.drop();
  });

  it("keeps a sent command delivered and marks the ones that did not go out not-sent, never queued", async () => {
    const rows = await db.query<{ command_id: string; delivery: string; signed: unknown; attempts: number }>(
      "SELECT command_id, delivery, signed, attempts FROM commands ORDER BY command_id",
    );
    expect(rows).toEqual([
      { command_id: "old-broker-unreachable", delivery: "not-sent", signed: null, attempts: 0 },
      { command_id: "old-kiosk-offline", delivery: "not-sent", signed: null, attempts: 0 },
      { command_id: "old-sending", delivery: "not-sent", signed: null, attempts: 0 },
      { command_id: "old-sent", delivery: "delivered", signed: null, attempts: 0 },
    ]);
  });

  it("refuses the old states, and a queued command without its signed copy", async () => {
    await expect(insert(db, "new-offline", "kiosk-offline")).rejects.toThrow();
    await expect(insert(db, "new-queued", "queued")).rejects.toThrow();
    await insert(db, "new-queued", "queued", JSON.stringify({ commandId: "new-queued" }));
    expect(await db.query("SELECT delivery FROM commands WHERE command_id = 'new-queued'")).toEqual([
      { delivery: "queued" },
    ]);
  });
});
