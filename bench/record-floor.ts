/**
 * record-floor: how close record-commit's target (a payment in ≤ 1.5× a bare one-row insert) can get on
 * this disk at all. Only SQL, with every value computed beforehand (no validation, rules, JSON or
 * hashing), interleaved in one run, WAL + synchronous=FULL, the kiosk's pragmas, 2000 samples each:
 *
 * - the record row alone, into the kiosk's real payment_records table (its two indexes);
 * - the record with its outbox row and audit row and the audit head, as the kiosk writes them;
 * - a leaner layout that is not built: the record plus one journal row serving as outbox and audit entry;
 * - the bare one-row insert record-commit compares with.
 *
 * Passes when the kiosk's three rows alone fit in 1.5× the bare insert (record-commit's target for the
 * whole payment, so a pass here says the target is within reach, a fail that no ledger code can meet it).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Database, Statement } from "better-sqlite3";
import { newId } from "../src/core/ids.js";
import type { PaymentRecord } from "../src/payments/payment-record.js";
import { RECORD_COLUMNS, type RecordRow, toRow } from "../src/store/record-rows.js";
import { cashPayment, STAFF } from "../test/helpers/payments.js";
import { bareTable, benchInvoiceId, benchStore } from "./lib/ledger-rig.js";
import type { Bench } from "./lib/result.js";
import { nowMs, round, type Summary, summarize } from "./lib/stats.js";

const TARGET_RATIO = 1.5;
const HASH = "f".repeat(64);
/** The audit rows' actor: the staff member test/helpers/payments.ts signs in as. */
const ACTOR = "mgr";

/** A kiosk database with the bench's invoices; returns it and one real record to copy. */
function kioskDatabase(path: string): { db: Database; sample: PaymentRecord; close: () => void } {
  const store = benchStore(path);
  const sample = store.ledger.record(cashPayment(100, { invoiceId: "inv-0" }), STAFF);
  return { db: store.db, sample, close: () => store.close() };
}

const insertRecord = (db: Database): Statement<RecordRow> =>
  db.prepare(
    `INSERT INTO payment_records (${RECORD_COLUMNS.join(", ")}) VALUES (${RECORD_COLUMNS.map((column) => `@${column}`).join(", ")})`,
  );

/** The n-th payment: a new id, spread over the invoices like record-commit's. */
function nth(sample: PaymentRecord, index: number): { record: PaymentRecord; row: RecordRow; json: string } {
  const record: PaymentRecord = {
    ...sample,
    id: newId(),
    invoiceId: benchInvoiceId(index),
    amount: { minor: 100 + (index % 500), currency: sample.amount.currency },
  };
  return { record, row: toRow(record), json: JSON.stringify(record) };
}

const row = (label: string, side: Summary, bare: Summary) => ({
  [label]: {
    p50_ms: round(side.p50),
    p99_ms: round(side.p99),
    p50_ratio: round(side.p50 / bare.p50, 2),
    p99_ratio: round(side.p99 / bare.p99, 2),
  },
});

const bench: Bench = async (args) => {
  const samples = Number(args[0] ?? 2000);
  const dir = mkdtempSync(join(process.cwd(), ".bench-record-floor-"));
  try {
    const alone = kioskDatabase(join(dir, "alone.sqlite"));
    const aloneInsert = insertRecord(alone.db);

    const kiosk = kioskDatabase(join(dir, "kiosk.sqlite"));
    const kioskInsert = insertRecord(kiosk.db);
    const outbox = kiosk.db.prepare(
      "INSERT INTO outbox (record_id, revision, payload, created_at) VALUES (?, ?, ?, ?)",
    );
    const audit = kiosk.db.prepare(
      `INSERT INTO audit_log (seq, at, device_id, actor, action, entity, entity_id, details, prev_hash, hash)
       VALUES (?, ?, ?, ?, 'record.created', 'payment_record', ?, ?, ?, ?)`,
    );
    const head = kiosk.db.prepare("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1");
    let auditSeq = (kiosk.db.prepare("SELECT seq FROM audit_head").get() as { seq: number }).seq;
    const threeRows = kiosk.db.transaction((record: PaymentRecord, row: RecordRow, json: string) => {
      kioskInsert.run(row);
      outbox.run(record.id, record.revision, json, record.updatedAt);
      auditSeq += 1;
      audit.run(auditSeq, record.updatedAt, record.deviceId, ACTOR, record.id, '{"revision":1}', HASH, HASH);
      head.run(auditSeq, HASH);
    });

    const lean = kioskDatabase(join(dir, "lean.sqlite"));
    lean.db.exec(`CREATE TABLE journal (
      seq INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT, action TEXT NOT NULL, record_id TEXT NOT NULL,
      revision INTEGER NOT NULL, payload TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL, synced_at TEXT
    ) STRICT`);
    const leanInsert = insertRecord(lean.db);
    const journal = lean.db.prepare(
      "INSERT INTO journal (at, actor, action, record_id, revision, payload, prev_hash, hash) VALUES (?, ?, 'record.created', ?, ?, ?, ?, ?)",
    );
    const twoRows = lean.db.transaction((record: PaymentRecord, row: RecordRow, json: string) => {
      leanInsert.run(row);
      journal.run(record.updatedAt, ACTOR, record.id, record.revision, json, HASH, HASH);
    });

    const { db: bare, insert: bareInsert } = bareTable(join(dir, "bare.sqlite"));

    const times = {
      alone: [] as number[],
      three: [] as number[],
      lean: [] as number[],
      bare: [] as number[],
    };
    const timed = (work: () => void): number => {
      const start = nowMs();
      work();
      return nowMs() - start;
    };
    for (let index = 0; index < samples + 50; index += 1) {
      const a = nth(alone.sample, index);
      const k = nth(kiosk.sample, index);
      const l = nth(lean.sample, index);
      const sample = {
        alone: timed(() => aloneInsert.run(a.row)),
        three: timed(() => threeRows(k.record, k.row, k.json)),
        lean: timed(() => twoRows(l.record, l.row, l.json)),
        bare: timed(() => bareInsert.run(k.json)),
      };
      if (index < 50) continue;
      for (const side of ["alone", "three", "lean", "bare"] as const) times[side].push(sample[side]);
    }
    for (const database of [alone, kiosk, lean]) database.close();
    bare.close();

    const b = summarize(times.bare);
    const three = summarize(times.three);
    console.log(`record-floor: ${samples} samples each, interleaved, values computed beforehand, in ${dir}`);
    console.table({
      ...row("record row alone (2 indexes)", summarize(times.alone), b),
      ...row("record + outbox + audit + head", three, b),
      ...row("lean: record + journal row", summarize(times.lean), b),
      ...row("bare 1-row insert", b, b),
    });
    const worst = Math.max(three.p50 / b.p50, three.p99 / b.p99);
    return {
      bench: "record-floor",
      metric: "max(p50, p99) ratio of the kiosk's three rows alone / bare",
      value: round(worst, 2),
      unit: "x",
      target: `<= ${TARGET_RATIO} (record-commit's target, before any validation, rules or hashing)`,
      pass: worst <= TARGET_RATIO,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

export default bench;
