// Child process for the Stripe crash test: reconciles what a previous run left open, then takes
// card-present payments on a simulated smart reader (the simulator presents a card by itself) as
// fast as it can, until the parent kills it with SIGKILL.
import { writeSync } from "node:fs";
import { CardCharger } from "../../dist/checkout/cards/card-charger.js";
import { CardCollection } from "../../dist/checkout/cards/card-collection.js";
import { ProcessorAvailability } from "../../dist/checkout/cards/processor-availability.js";
import { reconcileIntents } from "../../dist/checkout/cards/reconciler.js";
import { Ledger } from "../../dist/checkout/ledger.js";
import { systemClock } from "../../dist/core/clock.js";
import { newId } from "../../dist/core/ids.js";
import { createMemoryLogger } from "../../dist/core/logger.js";
import { stripeClient } from "../../dist/processors/stripe/stripe-client.js";
import { stripeProcessor } from "../../dist/processors/stripe/stripe-processor.js";
import { openKioskStore } from "../../dist/store/kiosk-store.js";

const [path, settingsJson, host, port, apiKey, readerId] = process.argv.slice(2);
const logger = createMemoryLogger();
const settings = JSON.parse(settingsJson);
const tables = openKioskStore({ path, deviceId: settings.deviceId, clock: systemClock, logger });
const store = { ...tables, ledger: new Ledger({ ...tables, clock: systemClock, newId }, settings) };
const processor = stripeProcessor({
  stripe: stripeClient({
    apiKey,
    endpoint: { host, port: Number(port), protocol: "http" },
    timeoutMs: 2_000,
  }),
  logger,
  timing: { pollMs: 5, collectTimeoutMs: 2_000 },
  lookupWindowHours: 48,
  currency: "USD",
});
await reconcileIntents(store, processor, logger);
const charger = new CardCharger({
  store,
  processor,
  availability: new ProcessorAvailability(systemClock),
  offline: null,
  collection: new CardCollection(logger),
  logger,
});
writeSync(1, "ready\n");
for (;;) {
  const outcome = await charger.pay(
    {
      kind: "payment",
      invoiceId: "inv-crash",
      amountMinor: 100 + Math.floor(Math.random() * 900),
      currency: "USD",
      methodId: "card",
      methodFields: { type: "card", entryMode: "swiped" },
    },
    { kind: "staff", staffId: "mgr" },
    { kind: "reader", readerId },
  );
  writeSync(1, `${outcome.kind} ${outcome.record.id}\n`);
}
