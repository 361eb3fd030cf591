import { readFileSync } from "node:fs";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CentralDb } from "../../src/central/db/central-db.js";
import { openPostgres } from "../../src/central/db/postgres-db.js";
import { classify } from "../../src/central/ingest/incoming.js";
import { migrateCentral } from "../../src/central/migrate.js";
import {
  fromCentralRow,
  RECORD_COLUMNS,
  RECORD_SELECT,
  toCentralRow,
} from "../../src/central/record-rows.js";
import type { RecordInput } from "../../src/central/record-writer.js";
import { writeRecords } from "../../src/central/record-writer.js";
import { newId } from "../../src/core/ids.js";
import { createMemoryLogger } from "../../src/core/logger.js";
import {
  type PaymentRecord,
  paymentRecordSchema,
  RECORD_FIELD_LIST,
} from "../../src/payments/payment-record.js";
import type { KioskStore } from "../../src/store/kiosk-store.js";
import { fromRow, toRow } from "../../src/store/record-rows.js";
import { encodeRecordBatch } from "../../src/sync/protocol/codec.js";
import { openTestStore, scratchDir } from "../helpers/kiosk-store.js";
import { createTestDatabase, type TestDatabase } from "../helpers/postgres.js";
import { validRecord } from "../helpers/record-arbitrary.js";

const MAX_BYTES = 16 * 1024 * 1024;
const meta = () => ({ messageId: newId(), sentAt: new Date().toISOString() });

/** A record batch's records as central's ingest reads them off the wire (classify: the real code). */
function readAtCentral(deviceId: string, payloads: readonly string[]): RecordInput[] {
  const message = encodeRecordBatch(deviceId, payloads, meta());
  const incoming = classify(message.topic, Buffer.from(message.body), MAX_BYTES);
  if (incoming.type !== "records") throw new Error(`not read as records: ${JSON.stringify(incoming)}`);
  return incoming.items.map((item) => {
    if (!item.ok) throw new Error(`refused: ${item.letter.code} ${item.letter.reason}`);
    return item.input;
  });
}

/**
 * A central row as node-postgres hands it back, by the column's type: bigint as text, timestamptz
 * as a Date, jsonb parsed afresh. The real database does this in the second test.
 */
function asPostgresReturns(row: Record<string, unknown>): Record<string, unknown> {
  const back: Record<string, unknown> = {};
  for (const [name, type] of RECORD_COLUMNS) {
    const value = row[name] ?? null;
    if (value === null) back[name] = null;
    else if (type === "bigint") back[name] = String(value);
    else if (type === "timestamptz") back[name] = new Date(value as string);
    else if (type === "jsonb") back[name] = JSON.parse(JSON.stringify(value));
    else back[name] = value;
  }
  return back;
}

describe("a payment record's round trip: kiosk row → MQTT message → central row → back", () => {
  it("the generator makes only valid records", () => {
    fc.assert(
      fc.property(validRecord, (record) => {
        expect(paymentRecordSchema.safeParse(record).error?.issues ?? []).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it("keeps any valid record field for field through the mappings", () => {
    fc.assert(
      fc.property(validRecord, (record) => {
        const kiosk = fromRow(toRow(record));
        expect(kiosk).toStrictEqual(record);
        const [input] = readAtCentral(record.deviceId, [JSON.stringify(kiosk)]);
        expect(input?.record).toStrictEqual(record);
        const central = fromCentralRow(
          asPostgresReturns(toCentralRow(input?.record as PaymentRecord, "hash")),
        );
        expect(central).toStrictEqual(record);
      }),
      { numRuns: 1000 },
    );
  });

  describe("through the real SQLite store and real PostgreSQL", () => {
    const DEVICE = "kiosk-round-trip";
    let dir: ReturnType<typeof scratchDir>;
    let store: KioskStore;
    let database: TestDatabase;
    let db: CentralDb;

    beforeAll(async () => {
      dir = scratchDir();
      store = openTestStore(dir.path, DEVICE);
      database = await createTestDatabase();
      db = await openPostgres({ url: database.url, poolSize: 2, logger: createMemoryLogger() });
      await migrateCentral(db, createMemoryLogger());
    });

    afterAll(async () => {
      store?.close();
      dir?.remove();
      await db?.close();
      await database?.drop();
    });

    /** Records the kiosk's tables can hold: its own device, unique ids, refunds of records it has, invoices it knows. */
    function forThisKiosk(records: readonly PaymentRecord[]): PaymentRecord[] {
      const ids: string[] = [];
      return records.map((record, index) => {
        const id = newId();
        const refundOf = record.refundOf === null || index === 0 ? null : (ids[index % ids.length] as string);
        ids.push(id);
        return { ...record, id, deviceId: DEVICE, refundOf };
      });
    }

    function knowInvoices(records: readonly PaymentRecord[]): void {
      const client = store.db.prepare(
        "INSERT OR IGNORE INTO clients (id, first_name, last_name, last_name_key, version, updated_at) VALUES (?, 'A', 'B', 'b', 1, ?)",
      );
      const invoice = store.db.prepare(
        "INSERT OR IGNORE INTO invoices (id, number, client_id, session_id, lines_json, total_minor, currency, version, updated_at) VALUES (?, ?, ?, NULL, '[]', 0, ?, 1, ?)",
      );
      const at = new Date().toISOString();
      for (const record of records) {
        client.run(record.clientId, at);
        invoice.run(record.invoiceId, `n-${record.invoiceId}`, record.clientId, record.amount.currency, at);
      }
    }

    it("central's table has the description's columns, with their types and nullability", async () => {
      const columns = await db.query<{ column_name: string; data_type: string; is_nullable: string }>(
        `SELECT column_name, data_type, is_nullable FROM information_schema.columns
         WHERE table_name = 'payment_records' AND column_name NOT IN ('content_hash', 'received_at')`,
      );
      const spelled = (type: string) => (type === "timestamptz" ? "timestamp with time zone" : type);
      const described = RECORD_FIELD_LIST.flatMap(([, field]) => field.central.columns);
      expect(
        new Set(
          columns.map((column) =>
            [column.column_name, column.data_type, column.is_nullable === "YES"].join(" "),
          ),
        ),
      ).toEqual(
        new Set(described.map((column) => [column.name, spelled(column.type), column.nullable].join(" "))),
      );
    });

    it("keeps any valid record field for field: the first release's records and 300 generated ones", async () => {
      const fixture = JSON.parse(
        readFileSync(new URL("../fixtures/payment-records-v1.json", import.meta.url), "utf8"),
      ) as { records: { record: PaymentRecord }[] };
      const records = forThisKiosk([
        ...fixture.records.map((entry) => entry.record),
        ...fc.sample(validRecord, 300),
      ]);
      knowInvoices(records);
      store.db.transaction(() => {
        for (const record of records) store.records.insert(record, "csh");
      })();
      for (const record of records) expect(store.records.get(record.id)).toStrictEqual(record);

      const payloads = store.outbox.pending(records.length).map((entry) => entry.payload);
      expect(payloads).toHaveLength(records.length);
      const inputs = readAtCentral(DEVICE, payloads);
      const written = await db.transaction((tx) => writeRecords(tx, inputs, new Date().toISOString()));
      expect(written.deadLetters).toEqual([]);
      expect(new Set(written.outcomes)).toEqual(new Set(["stored"]));

      const rows = await db.query<Record<string, unknown>>(
        `SELECT ${RECORD_SELECT} FROM payment_records WHERE id IN (SELECT json_array_elements_text($1::json))`,
        [JSON.stringify(records.map((record) => record.id))],
      );
      const atCentral = new Map(rows.map((row) => [row.id as string, fromCentralRow(row)]));
      expect(atCentral.size).toBe(records.length);
      for (const record of records) expect(atCentral.get(record.id)).toStrictEqual(record);
    }, 120_000);
  });
});
