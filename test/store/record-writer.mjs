// Child process for the crash test: records cash payments as fast as it can and prints each
// record's id only after its commit has returned. The parent kills it with SIGKILL at random.
import { writeSync } from "node:fs";
import { systemClock } from "../../dist/core/clock.js";
import { createMemoryLogger } from "../../dist/core/logger.js";
import { openKioskStore } from "../../dist/store/kiosk-store.js";

const [path, settingsJson] = process.argv.slice(2);
const store = openKioskStore({
  path,
  settings: JSON.parse(settingsJson),
  clock: systemClock,
  logger: createMemoryLogger(),
});
writeSync(1, "ready\n");
const channel = { kind: "staff", staffId: "mgr" };
for (;;) {
  const record = store.ledger.record(
    {
      kind: "payment",
      invoiceId: "inv-crash",
      amountMinor: 100 + Math.floor(Math.random() * 900),
      currency: "USD",
      methodId: "cash",
      methodFields: { type: "cash", amountTenderedMinor: null },
    },
    channel,
  );
  writeSync(1, `${record.id}\n`);
}
