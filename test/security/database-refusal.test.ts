import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPostgres } from "../../src/central/db/postgres-db.js";
import { migrateCentral } from "../../src/central/migrate.js";
import { ErrorCodes } from "../../src/core/error-codes.js";
import { createMemoryLogger } from "../../src/core/logger.js";
import type { PaymentRecord } from "../../src/payments/payment-record.js";
import type { KioskStore } from "../../src/store/kiosk-store.js";
import type { SyncAgent } from "../../src/sync/agent/sync-agent.js";
import { type CentralProcess, spawnCentral, untilLogged } from "../helpers/central-process.js";
import { sqlOf } from "../helpers/central-queries.js";
import { openTestStore, reviseRecord, scratchDir, seedRecords } from "../helpers/kiosk-store.js";
import { type PrivateMosquitto, startMosquitto } from "../helpers/mosquitto.js";
import { createTestDatabase, type TestDatabase } from "../helpers/postgres.js";
import { sampleInvoice } from "../helpers/sync-fixtures.js";
import { expectDelivered, startAgent } from "../helpers/sync-harness.js";
import { sleep, until } from "../helpers/wait.js";

const DEVICE = "kiosk-refused";

describe("a database that refuses for its own reasons (central's INSERT/UPDATE revoked while a kiosk syncs)", () => {
  let broker: PrivateMosquitto;
  let database: TestDatabase;
  let dir: ReturnType<typeof scratchDir>;
  let store: KioskStore;
  let agent: SyncAgent;
  let central: CentralProcess;
  // Central's own role, as in production: it may read and write the tables, not own them.
  const role = `spectra_central_${randomBytes(5).toString("hex")}`;

  const admin = (sql: string) => database.pool.query(sql);

  beforeAll(async () => {
    broker = await startMosquitto();
    database = await createTestDatabase();
    dir = scratchDir();
    store = openTestStore(join(dir.path, "kiosk"), DEVICE);
    const owner = await openPostgres({ url: database.url, poolSize: 1, logger: createMemoryLogger() });
    await migrateCentral(owner, createMemoryLogger());
    await owner.close();
    await admin(`CREATE ROLE ${role} LOGIN`);
    await admin(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}`);
    await admin(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${role}`);
    const url = new URL(database.url);
    url.username = role;
    central = spawnCentral(dir.path, "central", url.toString(), broker.url);
    await untilLogged(central, "ingest subscribed");
  }, 60_000);

  afterAll(async () => {
    await agent?.stop();
    await central?.kill("SIGKILL");
    store?.close();
    await broker?.dispose();
    await database?.drop();
    const cleanup = await createTestDatabase();
    await cleanup.pool.query(`DROP ROLE IF EXISTS ${role}`).catch(() => {});
    await cleanup.drop();
    dir?.remove();
  });

  it("delivers every record at its latest revision once the grant is back, and dead-letters none", async () => {
    const db = sqlOf(database.pool);
    const invoice = sampleInvoice();
    const records: PaymentRecord[] = seedRecords(store, invoice, DEVICE, 200);
    agent = startAgent(store, DEVICE, broker.url);
    await until(() => store.outbox.depth().depth === 0, "the first records to sync", 60_000);

    await admin(`REVOKE INSERT, UPDATE ON payment_records FROM ${role}`);
    const revokedAt = Date.now();
    // About 10 s of business while central cannot write: new records, and revisions of old ones.
    let round = 0;
    while (Date.now() - revokedAt < 10_000) {
      records.push(...seedRecords(store, invoice, DEVICE, 20));
      for (let index = 0; index < 5; index += 1) {
        const at = (round * 5 + index) % records.length;
        records[at] = reviseRecord(store, records[at] as PaymentRecord, {
          note: `revised in round ${round}`,
        });
      }
      round += 1;
      await sleep(500);
    }
    // Nothing was acknowledged meanwhile: the kiosk still holds every change, and nothing was refused.
    expect(store.outbox.depth().depth).toBeGreaterThan(round * 20);
    expect(store.outbox.refused()).toEqual([]);
    expect(central.output()).toContain(`[${ErrorCodes.CENTRAL_DB_UNAVAILABLE}]`);
    expect(central.output()).toContain("42501");
    const [{ n: lettersWhileRevoked } = { n: -1 }] = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM dead_letters",
    );
    expect(lettersWhileRevoked).toBe(0);

    await admin(`GRANT INSERT, UPDATE ON payment_records TO ${role}`);
    await until(() => store.outbox.depth().depth === 0, "the outbox to drain once the grant is back", 90_000);
    await expectDelivered([store], db, [DEVICE]);
    const [{ n: letters } = { n: -1 }] = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM dead_letters",
    );
    expect(letters).toBe(0);
    expect(store.outbox.refused()).toEqual([]);
    const latest = await db.query<{ id: string; revision: number; note: string | null }>(
      "SELECT id, revision, note FROM payment_records WHERE device_id = $1",
      [DEVICE],
    );
    const byId = new Map(latest.map((row) => [row.id, row]));
    for (const record of records) {
      expect(byId.get(record.id)).toEqual({ id: record.id, revision: record.revision, note: record.note });
    }
    expect(central.output()).toContain("takes writes again");
    expect(central.alive()).toBe(true);
  }, 180_000);
});
