import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { catalogPage, writeCatalog } from "../../src/central/catalog-store.js";
import type { CentralDb } from "../../src/central/db/central-db.js";
import { openPglite } from "../../src/central/db/pglite-db.js";
import { openPostgres } from "../../src/central/db/postgres-db.js";
import { writeDeadLetters } from "../../src/central/dead-letters.js";
import { writeStates } from "../../src/central/device-writer.js";
import { contentHash } from "../../src/central/ingest/incoming.js";
import { migrateCentral } from "../../src/central/migrate.js";
import { CENTRAL_MIGRATIONS } from "../../src/central/migrations/index.js";
import { type RecordInput, writeRecords } from "../../src/central/record-writer.js";
import { ErrorCodes } from "../../src/core/error-codes.js";
import { newId } from "../../src/core/ids.js";
import { createMemoryLogger } from "../../src/core/logger.js";
import type { PaymentRecord } from "../../src/payments/payment-record.js";
import { centralRecord, deadLetters } from "../helpers/central-queries.js";
import { expectKioskErrorAsync } from "../helpers/kiosk-error.js";
import { createTestDatabase, type TestDatabase } from "../helpers/postgres.js";
import { sampleInvoice, sampleRecord } from "../helpers/sync-fixtures.js";

const input = (record: PaymentRecord): RecordInput => ({
  record,
  contentHash: contentHash(record),
  topic: `spectra/v1/kiosks/${record.deviceId}/up/records`,
  messageId: newId(),
});

/** The same contract on both databases central runs on: the SQL is shared. */
describe.each([
  ["PostgreSQL", "postgres"],
  ["PGlite", "pglite"],
] as const)("central's database on %s", (_name, kind) => {
  let db: CentralDb;
  let database: TestDatabase | null = null;
  const at = () => new Date().toISOString();
  const write = (records: PaymentRecord[]) =>
    db.transaction((tx) => writeRecords(tx, records.map(input), at()));

  beforeAll(async () => {
    if (kind === "postgres") {
      database = await createTestDatabase();
      db = await openPostgres({ url: database.url, poolSize: 2, logger: createMemoryLogger() });
    } else {
      db = await openPglite("memory://");
    }
    expect(await migrateCentral(db, createMemoryLogger())).toBe(CENTRAL_MIGRATIONS.length);
  });

  afterAll(async () => {
    await db?.close();
    await database?.drop();
  });

  it("migrates once, and refuses a schema newer than the software", async () => {
    expect(await migrateCentral(db, createMemoryLogger())).toBe(CENTRAL_MIGRATIONS.length);
    await db.query("INSERT INTO central_schema (version, name) VALUES (99, 'future')");
    await expectKioskErrorAsync(
      () => migrateCentral(db, createMemoryLogger()),
      ErrorCodes.CENTRAL_SCHEMA_TOO_NEW,
    );
    await db.query("DELETE FROM central_schema WHERE version = 99");
  });

  it("runs a migration numbered before one already applied (branches merge in any order)", async () => {
    const later = { version: 1001, name: "later", sql: "CREATE TABLE migrate_later (x integer)" };
    const earlier = { version: 1000, name: "earlier", sql: "CREATE TABLE migrate_earlier (x integer)" };
    await migrateCentral(db, createMemoryLogger(), [...CENTRAL_MIGRATIONS, later]);
    await migrateCentral(db, createMemoryLogger(), [...CENTRAL_MIGRATIONS, earlier, later]);
    expect(await db.query("SELECT x FROM migrate_earlier")).toEqual([]);
    const versions = await db.query<{ version: number }>(
      "SELECT version FROM central_schema WHERE version >= 1000 ORDER BY version",
    );
    expect(versions.map((row) => Number(row.version))).toEqual([1000, 1001]);
    await db.exec(
      "DROP TABLE migrate_earlier; DROP TABLE migrate_later; DELETE FROM central_schema WHERE version >= 1000",
    );
  });

  it("stores new revisions, recognises duplicates and keeps conflicts out", async () => {
    const invoice = sampleInvoice();
    const first = sampleRecord(invoice, "kiosk-a", 1000);
    const second: PaymentRecord = {
      ...first,
      revision: 2,
      status: "voided",
      voidedBy: "mgr",
      voidedAt: at(),
    };
    expect((await write([first])).outcomes).toEqual(["stored"]);
    expect((await write([first])).outcomes).toEqual(["duplicate"]);

    const forged = { ...first, amount: { ...first.amount, minor: 999 } };
    const conflict = await write([forged]);
    expect(conflict.outcomes).toEqual(["conflict"]);
    expect(conflict.deadLetters[0]?.code).toBe(ErrorCodes.SYNC_RECORD_CONFLICT);
    expect(await centralRecord(db, first.id)).toEqual(first);

    // A higher revision replaces a lower one; a lower one arriving late changes nothing.
    const late = sampleRecord(invoice, "kiosk-a", 500);
    const lateTwo: PaymentRecord = { ...late, revision: 2, note: "collected" };
    expect((await write([second, lateTwo])).outcomes).toEqual(["stored", "stored"]);
    expect((await write([late])).outcomes).toEqual(["superseded"]);
    expect(await centralRecord(db, first.id)).toEqual(second);
    expect(await centralRecord(db, late.id)).toEqual(lateTwo);
    const [history] = await db.query<{ n: unknown }>(
      "SELECT count(*) AS n FROM payment_record_revisions WHERE record_id IN ($1, $2)",
      [first.id, late.id],
    );
    expect(Number(history?.n)).toBe(4);
  });

  it("sorts out repeats within one batch and record ids of another kiosk", async () => {
    const invoice = sampleInvoice();
    const record = sampleRecord(invoice, "kiosk-b", 700);
    const changed = { ...record, note: "different" };
    const result = await write([record, record, changed]);
    expect(result.outcomes).toEqual(["stored", "duplicate", "conflict"]);

    const hijack: PaymentRecord = {
      ...record,
      revision: 2,
      deviceId: "kiosk-c",
      amount: { minor: 1, currency: "USD" },
    };
    const refused = await write([hijack]);
    expect(refused.outcomes).toEqual(["conflict"]);
    expect(refused.deadLetters[0]?.reason).toContain("belongs to kiosk kiosk-b");
    expect(await centralRecord(db, record.id)).toEqual(record);
  });

  it("keeps dead letters, cutting large payloads", async () => {
    await db.transaction((tx) =>
      writeDeadLetters(
        tx,
        [
          {
            code: ErrorCodes.SYNC_MESSAGE_TOO_LARGE,
            reason: "big \u0000 one",
            topic: "spectra/v1/kiosks/kiosk-a/up/records",
            deviceId: "kiosk-a",
            messageId: null,
            recordId: null,
            revision: null,
            payload: Buffer.alloc(200_000, 0),
          },
        ],
        at(),
      ),
    );
    const letters = await deadLetters(db);
    expect(letters.at(-1)).toMatchObject({ code: ErrorCodes.SYNC_MESSAGE_TOO_LARGE, payload_bytes: 200_000 });
  });

  it("versions catalog changes and pages them by change number", async () => {
    const one = sampleInvoice({ id: `inv-${newId()}`, number: `N-${newId().slice(-6)}` });
    const two = sampleInvoice({ id: `inv-${newId()}`, number: `N-${newId().slice(-6)}` });
    const strip = ({ version: _version, ...rest }: typeof one) => rest;
    const start = await catalogPage(db, 0, 1000);
    const before = start.cursor;
    const written = await db.transaction((tx) => writeCatalog(tx, [], [strip(one), strip(two)], at()));
    expect(written).toEqual({ clientsChanged: 2, invoicesChanged: 2 });
    const again = await db.transaction((tx) => writeCatalog(tx, [], [strip(one), strip(two)], at()));
    expect(again).toEqual({ clientsChanged: 0, invoicesChanged: 0 });
    const renamed = {
      ...strip(one),
      lines: [{ description: "Reprint", quantity: 1, amountMinor: 100 }],
      totalMinor: 100,
    };
    await db.transaction((tx) => writeCatalog(tx, [], [renamed], at()));

    const firstPage = await catalogPage(db, before, 3);
    expect(firstPage.more).toBe(true);
    const rest = await catalogPage(db, firstPage.cursor, 3);
    expect(rest.more).toBe(false);
    const invoices = [...firstPage.invoices, ...rest.invoices];
    // The unchanged invoice once; the changed one only in its newest version.
    expect(invoices.map((invoice) => [invoice.id, invoice.version]).sort()).toEqual(
      [
        [one.id, 2],
        [two.id, 1],
      ].sort(),
    );
    expect(invoices.find((invoice) => invoice.id === one.id)).toEqual({ ...renamed, version: 2 });
    expect([...firstPage.clients, ...rest.clients]).toHaveLength(2);
    expect(await catalogPage(db, rest.cursor, 3)).toMatchObject({
      invoices: [],
      clients: [],
      more: false,
      cursor: rest.cursor,
    });
  });

  it("orders availability by connection, so a late Last Will cannot mark a reconnected kiosk offline", async () => {
    const older = newId();
    const newer = newId();
    const state = async () =>
      (
        await db.query<{ state: string; state_reason: string }>(
          "SELECT state, state_reason FROM devices WHERE device_id = 'kiosk-s'",
        )
      )[0];
    const apply = (
      connectionId: string,
      value: "online" | "offline",
      reason: "connected" | "connection-lost",
    ) =>
      db.transaction((tx) =>
        writeStates(tx, [{ deviceId: "kiosk-s", state: { state: value, connectionId, reason } }], at()),
      );
    await apply(older, "online", "connected");
    await apply(newer, "online", "connected");
    await apply(older, "offline", "connection-lost");
    expect(await state()).toEqual({ state: "online", state_reason: "connected" });
    await apply(newer, "offline", "connection-lost");
    expect(await state()).toEqual({ state: "offline", state_reason: "connection-lost" });
    await apply(newer, "online", "connected");
    expect((await state())?.state).toBe("offline");
  });
});
