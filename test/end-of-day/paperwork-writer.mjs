// Child process for the end-of-day crash test: counts the drawer and closes the day as fast as it
// can, printing what it did only after the commit returned. The parent kills it with SIGKILL.
import { writeSync } from "node:fs";
import { ShiftDesk } from "../../dist/checkout/shift-desk.js";
import { systemClock } from "../../dist/core/clock.js";
import { newId } from "../../dist/core/ids.js";
import { createMemoryLogger } from "../../dist/core/logger.js";
import { openKioskStore } from "../../dist/store/kiosk-store.js";

const [path, deviceId] = process.argv.slice(2);
const store = openKioskStore({ path, deviceId, clock: systemClock, logger: createMemoryLogger() });
const desk = new ShiftDesk({ store, currency: "USD", clock: systemClock, newId });
writeSync(1, "ready\n");
for (;;) {
  const count = desk.countDrawer(Math.floor(Math.random() * 10_000), "mgr");
  writeSync(1, `count ${count.id}\n`);
  const report = desk.closeDay("mgr");
  writeSync(1, `close ${report.shift.id}\n`);
}
