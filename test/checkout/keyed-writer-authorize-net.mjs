// Child process for the keyed-card deletion kill test: opens a keyed entry on the Authorize.Net
// simulator's hosted form, keys a card there, and charges it without the client's consent; the
// parent kills it with SIGKILL as the card's deletion goes out.
import { readFileSync, writeSync } from "node:fs";
import { request } from "node:https";
import { CardCharger } from "../../dist/checkout/cards/card-charger.js";
import { CardCollection } from "../../dist/checkout/cards/card-collection.js";
import { ProcessorAvailability } from "../../dist/checkout/cards/processor-availability.js";
import { Ledger } from "../../dist/checkout/ledger.js";
import { systemClock } from "../../dist/core/clock.js";
import { newId } from "../../dist/core/ids.js";
import { createMemoryLogger } from "../../dist/core/logger.js";
import { connectAuthorizeNet } from "../../dist/processors/authorize-net/connect-authorize-net.js";
import { openKioskStore } from "../../dist/store/kiosk-store.js";

const [path, settingsJson, simulatorJson, pan] = process.argv.slice(2);
const simulator = JSON.parse(simulatorJson);
const ca = readFileSync(simulator.caFile, "utf8");
const logger = createMemoryLogger();
const settings = JSON.parse(settingsJson);
const tables = openKioskStore({ path, deviceId: settings.deviceId, clock: systemClock, logger });
const store = { ...tables, ledger: new Ledger({ ...tables, clock: systemClock, newId }, settings) };
const processor = await connectAuthorizeNet({
  endpoint: simulator.endpoint,
  hostedFormUrl: simulator.hostedFormUrl,
  apiLoginId: simulator.apiLoginId,
  transactionKey: simulator.transactionKey,
  ca,
  timeoutMs: 2_000,
  deviceType: 3,
  duplicateWindowSeconds: 28_800,
  currency: "USD",
  logger,
});
const charger = new CardCharger({
  store,
  processor,
  availability: new ProcessorAvailability(systemClock),
  offline: null,
  collection: new CardCollection(logger),
  logger,
});

/** A form POST to the simulator's hosted form over its TLS, as the staff screen's frame sends it. */
function post(url, form) {
  return new Promise((resolve, reject) => {
    const body = new URLSearchParams(form).toString();
    const outgoing = request(url, {
      method: "POST",
      ca,
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "content-length": String(Buffer.byteLength(body)),
      },
    });
    outgoing.on("error", reject);
    outgoing.on("response", (response) => {
      const chunks = [];
      response.on("data", (chunk) => chunks.push(chunk));
      response.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    });
    outgoing.end(body);
  });
}

const entry = await charger.startKeyedEntry("charge", { minor: 3_000, currency: "USD" });
const token = entry.formFields?.token ?? "";
const saved = await post(`${entry.url}/submit`, {
  token,
  cardNumber: pan,
  expirationDate: "11/31",
  cardCode: "123",
});
if (!saved.includes("Card saved")) throw new Error("the hosted form did not save the card");
writeSync(1, `keyed ${entry.sessionId}\n`);
const outcome = await charger.pay(
  {
    kind: "payment",
    invoiceId: "inv-1",
    amountMinor: 3_000,
    currency: "USD",
    methodId: "card",
    methodFields: { type: "card", entryMode: "keyed" },
  },
  { kind: "staff", staffId: "mgr" },
  { kind: "hosted", sessionId: entry.sessionId },
);
writeSync(1, `${outcome.kind} ${outcome.record.id}\n`);
// Waits for the parent's SIGKILL (the deletion under way holds the process too).
setInterval(() => {}, 60_000);
