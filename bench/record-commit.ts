/**
 * record-commit: time to record one payment through the ledger (draft validation, balance rules,
 * record + outbox + audit rows, one IMMEDIATE transaction, WAL + synchronous=FULL) beside a bare
 * one-row better-sqlite3 insert of the same payment (as JSON) with the same pragmas on the same
 * disk, interleaved in one run.
 * Target: the ledger's median and p99 are each at most 1.5× the bare insert's.
 * BENCH_DEBUG=1 adds, after the timed samples, the WAL pages each side writes per commit and each
 * side's median without its fsync (synchronous=OFF).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { cashPayment, STAFF } from "../test/helpers/payments.js";
import { commitBreakdown } from "./lib/commit-breakdown.js";
import { bareTable, benchInvoiceId, benchStore } from "./lib/ledger-rig.js";
import type { Bench } from "./lib/result.js";
import { nowMs, round, summarize } from "./lib/stats.js";

const TARGET_RATIO = 1.5;

const bench: Bench = async (args) => {
  const samples = Number(args[0] ?? 2000);
  // Beside the project, not in /tmp: the same disk a kiosk's data directory would be on.
  const dir = mkdtempSync(join(process.cwd(), ".bench-record-commit-"));
  try {
    const store = benchStore(join(dir, "kiosk.sqlite"));
    // The baseline stores the same payment as one row (its JSON), so both sides write the same data.
    const { db: bare, insert } = bareTable(join(dir, "bare.sqlite"));
    const sample = store.ledger.record(cashPayment(100, { invoiceId: "inv-0" }), STAFF);

    const kiosk: number[] = [];
    const baseline: number[] = [];
    for (let index = 0; index < samples + 50; index += 1) {
      let start = nowMs();
      store.ledger.record(cashPayment(100 + (index % 500), { invoiceId: benchInvoiceId(index) }), STAFF);
      const kioskMs = nowMs() - start;
      start = nowMs();
      insert.run(JSON.stringify({ ...sample, amount: { minor: 100 + (index % 500), currency: "USD" } }));
      const bareMs = nowMs() - start;
      if (index >= 50) {
        kiosk.push(kioskMs);
        baseline.push(bareMs);
      }
    }
    if (process.env.BENCH_DEBUG) {
      console.table(
        commitBreakdown([
          {
            name: "kiosk ledger.record",
            db: store.db,
            commit: (index) =>
              store.ledger.record(
                cashPayment(100 + (index % 500), { invoiceId: benchInvoiceId(index) }),
                STAFF,
              ),
          },
          {
            name: "bare 1-row insert",
            db: bare,
            commit: (index) =>
              insert.run(
                JSON.stringify({ ...sample, amount: { minor: 100 + (index % 500), currency: "USD" } }),
              ),
          },
        ]),
      );
    }
    store.close();
    bare.close();

    const k = summarize(kiosk);
    const b = summarize(baseline);
    const p50Ratio = k.p50 / b.p50;
    const p99Ratio = k.p99 / b.p99;
    console.log(`record-commit: ${samples} samples each, interleaved, WAL + synchronous=FULL, in ${dir}`);
    console.table({
      "kiosk ledger.record": {
        p50_ms: round(k.p50),
        p99_ms: round(k.p99),
        min_ms: round(k.min),
        max_ms: round(k.max),
      },
      "bare 1-row insert": {
        p50_ms: round(b.p50),
        p99_ms: round(b.p99),
        min_ms: round(b.min),
        max_ms: round(b.max),
      },
      "ratio kiosk/bare": { p50_ms: round(p50Ratio, 2), p99_ms: round(p99Ratio, 2), min_ms: "", max_ms: "" },
    });
    const worst = Math.max(p50Ratio, p99Ratio);
    return {
      bench: "record-commit",
      metric: "max(p50, p99) ratio kiosk/bare",
      value: round(worst, 2),
      unit: "x",
      target: `<= ${TARGET_RATIO}`,
      pass: worst <= TARGET_RATIO,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

export default bench;
