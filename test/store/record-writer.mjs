// Child process for the crash test: records cash payments as fast as it can and prints each
// record's id only after its commit has returned. The parent kills it with SIGKILL at random.
import { writeSync } from "node:fs";
import { Ledger } from "../../dist/checkout/ledger.js";
import { systemClock } from "../../dist/core/clock.js";
import { newId } from "../../dist/core/ids.js";
import { createMemoryLogger } from "../../dist/core/logger.js";
import { openKioskStore } from "../../dist/store/kiosk-store.js";

const [path, settingsJson] = process.argv.slice(2);
const settings = JSON.parse(settingsJson);
const store = openKioskStore({
  path,
  deviceId: settings.deviceId,
  clock: systemClock,
  logger: createMemoryLogger(),
});
const ledger = new Ledger({ ...store, clock: systemClock, newId }, settings);
writeSync(1, "ready\n");
const channel = { kind: "staff", staffId: "mgr" };
for (;;) {
  const record = ledger.record(
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
