// Child process for the card crash test: reconciles what a previous run left open, then takes card
// payments through the gateway simulator as fast as it can, until the parent kills it with SIGKILL.
import { writeSync } from "node:fs";
import { CardCharger } from "../../dist/checkout/cards/card-charger.js";
import { CardCollection } from "../../dist/checkout/cards/card-collection.js";
import { ProcessorAvailability } from "../../dist/checkout/cards/processor-availability.js";
import { reconcileIntents } from "../../dist/checkout/cards/reconciler.js";
import { Ledger } from "../../dist/checkout/ledger.js";
import { systemClock } from "../../dist/core/clock.js";
import { newId } from "../../dist/core/ids.js";
import { createMemoryLogger } from "../../dist/core/logger.js";
import { CardNumber } from "../../dist/payments/card/card-number.js";
import { gatewayProcessor } from "../../dist/processors/gateway/gateway-client.js";
import { openKioskStore } from "../../dist/store/kiosk-store.js";

const [path, settingsJson, url, apiKey, cardsJson] = process.argv.slice(2);
const cards = JSON.parse(cardsJson);
const logger = createMemoryLogger();
const settings = JSON.parse(settingsJson);
const tables = openKioskStore({ path, deviceId: settings.deviceId, clock: systemClock, logger });
// The card services take the store's tables with the ledger over them.
const store = { ...tables, ledger: new Ledger({ ...tables, clock: systemClock, newId }, settings) };
const processor = gatewayProcessor({ url, apiKey, timeoutMs: 2_000, logger, retries: 1 });
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
for (let index = 0; ; index += 1) {
  const number = cards[index % cards.length];
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
    { kind: "swiped", card: CardNumber.parse(number), expiry: { month: 12, year: 2030 } },
  );
  writeSync(1, `${outcome.kind} ${outcome.record.id}\n`);
}
