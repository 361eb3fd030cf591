import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { systemClock } from "../src/core/clock.js";
import { createMemoryLogger } from "../src/core/logger.js";
import { openKioskStore } from "../src/store/kiosk-store.js";
import { cashPayment, invoice, STAFF } from "../test/helpers/payments.js";
import { ledgerOn, SETTINGS } from "../test/helpers/store.js";

const dir = mkdtempSync("/work/main/.prof-");
const store = openKioskStore({
  path: join(dir, "k.sqlite"),
  deviceId: SETTINGS.deviceId,
  clock: systemClock,
  logger: createMemoryLogger(),
});
for (let i = 0; i < 500; i++)
  store.invoices.upsertInvoice(
    invoice({ id: `inv-${i}`, number: `B-${i}`, totalMinor: 10 ** 9 }),
    new Date().toISOString(),
  );
const ledger = ledgerOn(store, SETTINGS, systemClock);
store.db.pragma("synchronous = OFF");
const N = Number(process.argv[2] ?? 20000);
const t = performance.now();
for (let i = 0; i < N; i++)
  ledger.record(cashPayment(100 + (i % 500), { invoiceId: `inv-${i % 500}` }), STAFF);
console.log("µs per record (sync OFF):", (((performance.now() - t) * 1000) / N).toFixed(1));
store.close();
