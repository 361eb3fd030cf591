import type { Database } from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { expectKioskError } from "../../test/helpers/kiosk-error.js";
import { tempDir } from "../../test/helpers/store.js";
import { ErrorCodes } from "../core/error-codes.js";
import { createMemoryLogger } from "../core/logger.js";
import { openDatabase } from "./database.js";
import { migrate, schemaVersion } from "./migrate.js";
import { LATEST_VERSION, MIGRATIONS } from "./migrations/index.js";

const logger = createMemoryLogger();
const dirs: { remove(): void }[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) dir.remove();
});

function freshDb(): Database {
  const dir = tempDir();
  dirs.push(dir);
  return openDatabase(`${dir.path}/kiosk.sqlite`);
}

function schemaOf(db: Database): string[] {
  return (
    db
      .prepare("SELECT type, name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY name")
      .all() as {
      type: string;
      name: string;
      sql: string | null;
    }[]
  ).map((row) => `${row.type} ${row.name}: ${(row.sql ?? "").replace(/\s+/g, " ")}`);
}

/** Data as it would exist at each schema version: written before migrating on, checked after. */
const SEED: Record<number, (db: Database) => void> = {
  1: (db) => {
    db.exec(`INSERT INTO clients VALUES ('c1', 'Ada', 'Núñez', 'nunez', 1, '2026-01-01T00:00:00Z');
      INSERT INTO invoices VALUES ('i1', 'A-1', 'c1', NULL, '[]', 5000, 'USD', 1, '2026-01-01T00:00:00Z');
      INSERT INTO payment_records (id, revision, kind, invoice_id, invoice_number, client_id, amount_minor, currency,
        refundable, future_payment, method_id, method_name, method_type, method_json, status, device_id, created_at, updated_at)
        VALUES ('r1', 1, 'payment', 'i1', 'A-1', 'c1', 1000, 'USD', 0, 0, 'cash', 'Cash', 'cash',
        '{"type":"cash","amountTendered":null,"changeDue":null}', 'completed', 'k1', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
      INSERT INTO outbox (record_id, revision, payload, created_at) VALUES ('r1', 1, '{}', '2026-01-01T00:00:00Z');`);
  },
  2: (db) => {
    db.exec(`INSERT INTO audit_log VALUES (1, '2026-01-01T00:00:00Z', 'k1', 'mgr', 'record.created', 'payment_record', 'r1', '{}', 'x', 'y');
      INSERT INTO audit_head VALUES (1, 1, 'y');`);
  },
  3: (db) => {
    db.exec(`INSERT INTO shifts VALUES ('s1', 'k1', '2026-01-01T00:00:00Z', 'mgr', NULL, NULL);`);
  },
};

describe("migrations", () => {
  it("are numbered 1..N in order", () => {
    expect(MIGRATIONS.map((migration) => migration.version)).toEqual(MIGRATIONS.map((_, index) => index + 1));
  });

  it.each(Array.from({ length: LATEST_VERSION }, (_, version) => version))(
    "bring a database at version %i to the latest schema, keeping its data",
    (from) => {
      const db = freshDb();
      for (let version = 1; version <= from; version += 1) {
        migrate(db, logger, MIGRATIONS, version);
        SEED[version]?.(db);
      }
      expect(schemaVersion(db)).toBe(from);
      expect(migrate(db, logger)).toBe(LATEST_VERSION);

      const reference = freshDb();
      migrate(reference, logger);
      expect(schemaOf(db)).toEqual(schemaOf(reference));
      if (from >= 1)
        expect(db.prepare("SELECT amount_minor FROM payment_records WHERE id = 'r1'").get()).toEqual({
          amount_minor: 1000,
        });
      if (from >= 2) expect(db.prepare("SELECT count(*) AS n FROM audit_log").get()).toEqual({ n: 1 });
      if (from >= 3) expect(db.prepare("SELECT id FROM shifts").get()).toEqual({ id: "s1" });
      db.close();
      reference.close();
    },
  );

  it("run again change nothing", () => {
    const db = freshDb();
    migrate(db, logger);
    const before = schemaOf(db);
    expect(migrate(db, logger)).toBe(LATEST_VERSION);
    expect(schemaOf(db)).toEqual(before);
    db.close();
  });

  it("refuse a database from newer software", () => {
    const db = freshDb();
    db.pragma(`user_version = ${LATEST_VERSION + 1}`);
    expectKioskError(() => migrate(db, logger), ErrorCodes.STORE_SCHEMA_TOO_NEW);
    db.close();
  });

  it("leave the database at the last whole version when one fails", () => {
    const db = freshDb();
    const broken = [
      ...MIGRATIONS,
      {
        version: LATEST_VERSION + 1,
        name: "broken",
        up: (d: Database) => d.exec("CREATE TABLE t (x); SELECT nope FROM nowhere;"),
      },
    ];
    expectKioskError(() => migrate(db, logger, broken), ErrorCodes.STORE_MIGRATION_FAILED);
    expect(schemaVersion(db)).toBe(LATEST_VERSION);
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE name = 't'").get()).toBeUndefined();
    db.close();
  });
});
