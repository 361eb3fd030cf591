// Child process for the Authorize.Net crash test: reconciles what a previous run left open, then
// takes card payments (plain swipes, sent as track data) through the Authorize.Net processor against
// its simulator as fast as it can, until the parent kills it with SIGKILL.
import { readFileSync, writeSync } from "node:fs";
import { CardCharger } from "../../dist/checkout/cards/card-charger.js";
import { CardCollection } from "../../dist/checkout/cards/card-collection.js";
import { ProcessorAvailability } from "../../dist/checkout/cards/processor-availability.js";
import { reconcileIntents } from "../../dist/checkout/cards/reconciler.js";
import { Ledger } from "../../dist/checkout/ledger.js";
import { systemClock } from "../../dist/core/clock.js";
import { newId } from "../../dist/core/ids.js";
import { createMemoryLogger } from "../../dist/core/logger.js";
import { CardNumber } from "../../dist/payments/card/card-number.js";
import { SwipedTracks } from "../../dist/payments/card/swiped-tracks.js";
import { connectAuthorizeNet } from "../../dist/processors/authorize-net/connect-authorize-net.js";
import { openKioskStore } from "../../dist/store/kiosk-store.js";

const [path, settingsJson, simulatorJson, cardsJson] = process.argv.slice(2);
const cards = JSON.parse(cardsJson);
const simulator = JSON.parse(simulatorJson);
const logger = createMemoryLogger();
const settings = JSON.parse(settingsJson);
const tables = openKioskStore({ path, deviceId: settings.deviceId, clock: systemClock, logger });
const store = { ...tables, ledger: new Ledger({ ...tables, clock: systemClock, newId }, settings) };
const processor = await connectAuthorizeNet({
  endpoint: simulator.endpoint,
  hostedFormUrl: simulator.hostedFormUrl,
  apiLoginId: simulator.apiLoginId,
  transactionKey: simulator.transactionKey,
  ca: readFileSync(simulator.caFile, "utf8"),
  timeoutMs: 2_000,
  deviceType: 3,
  duplicateWindowSeconds: 28_800,
  currency: "USD",
  logger,
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
for (let index = 0; ; index += 1) {
  const [number, fixedMinor] = cards[index % cards.length];
  const outcome = await charger.pay(
    {
      kind: "payment",
      invoiceId: "inv-crash",
      amountMinor: fixedMinor ?? 100 + Math.floor(Math.random() * 900),
      currency: "USD",
      methodId: "card",
      methodFields: { type: "card", entryMode: "swiped" },
    },
    { kind: "staff", staffId: "mgr" },
    {
      kind: "swiped",
      card: CardNumber.parse(number),
      expiry: { month: 12, year: 2030 },
      tracks: new SwipedTracks(null, `${number}=30121010000000000000`),
    },
  );
  writeSync(1, `${outcome.kind} ${outcome.record.id}\n`);
}
