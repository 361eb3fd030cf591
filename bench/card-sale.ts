/**
 * card-sale: a kiosk card sale (record + intent committed, a plain swipe's track data through the
 * Authorize.Net processor to its simulator over loopback TLS, answer committed) beside, in the same
 * run, a bare createTransactionRequest of the same swipe over a keep-alive TLS connection and a bare
 * durable SQLite insert (WAL + synchronous=FULL).
 * Target, at p50 and at p99: kiosk − bare request ≤ 2 × bare insert + 1 ms.
 *
 * `npm run bench -- card-sale [samples]` (500 by default).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { CardCharger } from "../src/checkout/cards/card-charger.js";
import { CardCollection } from "../src/checkout/cards/card-collection.js";
import { ProcessorAvailability } from "../src/checkout/cards/processor-availability.js";
import { systemClock } from "../src/core/clock.js";
import { createMemoryLogger } from "../src/core/logger.js";
import { openDatabase } from "../src/store/database.js";
import { openKioskStore } from "../src/store/kiosk-store.js";
import { cardDraft } from "../test/helpers/card-payments.js";
import { invoice, STAFF } from "../test/helpers/payments.js";
import { ledgerOn, SETTINGS } from "../test/helpers/store.js";
import { authorizeNetSaleRig } from "./lib/authorize-net-sale.js";
import type { Bench } from "./lib/result.js";
import { nowMs, round, summarize } from "./lib/stats.js";

const bench: Bench = async (args) => {
  const samples = Number(args.find((arg) => !arg.startsWith("--")) ?? 500);
  const authorizeNet = await authorizeNetSaleRig();
  const dir = mkdtempSync(join(process.cwd(), ".bench-card-sale-"));
  const logger = createMemoryLogger();
  try {
    const settings = { ...SETTINGS, processorKind: "gateway" as const };
    const tables = openKioskStore({
      path: join(dir, "kiosk.sqlite"),
      deviceId: settings.deviceId,
      clock: systemClock,
      logger,
    });
    const store = { ...tables, ledger: ledgerOn(tables, settings, systemClock) };
    const INVOICES = 200;
    for (let index = 0; index < INVOICES; index += 1) {
      store.invoices.upsertInvoice(
        invoice({ id: `inv-${index}`, number: `S-${index}`, totalMinor: 10 ** 9 }),
        new Date().toISOString(),
      );
    }
    const processor = authorizeNet.processor;
    const charger = new CardCharger({
      store,
      processor,
      availability: new ProcessorAvailability(systemClock),
      offline: null,
      collection: new CardCollection(logger),
      logger,
    });

    // openDatabase applies the kiosk's pragmas (WAL, synchronous=FULL).
    const bare = openDatabase(join(dir, "bare.sqlite"));
    bare.exec("CREATE TABLE payments (id INTEGER PRIMARY KEY, amount_minor INTEGER NOT NULL)");
    const insert = bare.prepare("INSERT INTO payments (amount_minor) VALUES (?)");

    const bareRequest = authorizeNet.bareRequest;

    const kiosk: number[] = [];
    const request: number[] = [];
    const inserts: number[] = [];
    const WARMUP = 30;
    for (let index = 0; index < samples + WARMUP; index += 1) {
      let start = nowMs();
      const outcome = await charger.pay(
        cardDraft(1_000, { invoiceId: `inv-${index % INVOICES}` }),
        STAFF,
        authorizeNet.card(),
      );
      const kioskMs = nowMs() - start;
      if (outcome.kind !== "approved") throw new Error(`sale ${index} was ${outcome.kind}`);
      start = nowMs();
      await bareRequest(index);
      const requestMs = nowMs() - start;
      start = nowMs();
      insert.run(1_000);
      const insertMs = nowMs() - start;
      if (index >= WARMUP) {
        kiosk.push(kioskMs);
        request.push(requestMs);
        inserts.push(insertMs);
      }
    }
    store.close();
    bare.close();

    const k = summarize(kiosk);
    const r = summarize(request);
    const i = summarize(inserts);
    const budget = (stat: "p50" | "p99") => 2 * i[stat] + 1;
    const overhead = (stat: "p50" | "p99") => k[stat] - r[stat];
    console.log(`card-sale: ${samples} sales each, interleaved, Authorize.Net simulator over loopback TLS`);
    console.table({
      "kiosk sale": { p50_ms: round(k.p50), p99_ms: round(k.p99) },
      "bare createTransactionRequest": { p50_ms: round(r.p50), p99_ms: round(r.p99) },
      "bare durable insert": { p50_ms: round(i.p50), p99_ms: round(i.p99) },
      "kiosk overhead": { p50_ms: round(overhead("p50")), p99_ms: round(overhead("p99")) },
      "budget (2 inserts + 1 ms)": { p50_ms: round(budget("p50")), p99_ms: round(budget("p99")) },
    });
    const worst = Math.max(overhead("p50") / budget("p50"), overhead("p99") / budget("p99"));
    return {
      bench: "card-sale",
      metric: "max over p50, p99 of overhead / budget",
      value: round(worst, 2),
      unit: "x",
      target: "<= 1 (overhead <= 2 bare durable inserts + 1 ms)",
      pass: worst <= 1,
    };
  } finally {
    await authorizeNet.close();
    rmSync(dir, { recursive: true, force: true });
  }
};

export default bench;
