import { copyFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { CardCharger } from "../../../src/checkout/cards/card-charger.js";
import { CardCollection } from "../../../src/checkout/cards/card-collection.js";
import { ProcessorAvailability } from "../../../src/checkout/cards/processor-availability.js";
import { fixedClock } from "../../../src/core/clock.js";
import { createMemoryLogger } from "../../../src/core/logger.js";
import type { CardProcessor } from "../../../src/payments/card-processor.js";
import type { PaymentRecord } from "../../../src/payments/payment-record.js";
import type { RunningAuthorizeNetSimulator } from "../../../src/processors/authorize-net-simulator/authorize-net-simulator.js";
import { AuditLog } from "../../../src/store/audit-log.js";
import { CollectionBook } from "../../../src/store/collection-book.js";
import { type Intent, IntentBook } from "../../../src/store/intent-book.js";
import { openKioskStore } from "../../../src/store/kiosk-store.js";
import { OfflineCardStore } from "../../../src/store/offline-card-store.js";
import { RecordStore } from "../../../src/store/record-store.js";
import { keyOnHostedForm } from "../../helpers/authorize-net.js";
import { CARDS, swipe } from "../../helpers/card-payments.js";
import { invoice } from "../../helpers/payments.js";
import { ScriptedProcessor } from "../../helpers/scripted-processor.js";
import { ledgerOn, SETTINGS, type StoreWithLedger, tempDir } from "../../helpers/store.js";
import { OFFLINE_POLICY, START, type TestCard } from "./model.js";

export const INVOICE_ID = "inv-model";
export const CLIENT_ID = "client-1";
const GATEWAY_SETTINGS = { ...SETTINGS, processorKind: "gateway" as const };

/** What the kiosk's database holds, read the same way whether the kiosk runs or was killed. */
export interface KioskSnapshot {
  readonly records: PaymentRecord[];
  readonly intents: Map<string, Intent[]>;
  readonly offlineStoredMinor: number;
  readonly attempts: Map<string, number>;
}

/** One database file all runs copy: migrated, with the invoice and a saved card for the client. */
export interface KioskTemplate {
  readonly path: string;
  readonly savedCardTokens: Record<TestCard, string>;
  remove(): void;
}

/**
 * The approving card is saved from a swipe (Authorize.Net verifies it with $0.01, voided); the
 * declining one cannot pass that verification, so it is keyed on the hosted form, as staff would.
 */
export async function kioskTemplate(
  simulator: RunningAuthorizeNetSimulator,
  processor: CardProcessor,
): Promise<KioskTemplate> {
  const dir = tempDir("spectra-intent-model-");
  const path = join(dir.path, "template.sqlite");
  const logger = createMemoryLogger();
  const approve = await processor.saveCard({
    idempotencyKey: "model-save-approve",
    source: swipe(CARDS.approve),
    clientId: CLIENT_ID,
  });
  const entry = await processor.startHostedEntry({ purpose: "save", amount: null });
  await keyOnHostedForm(simulator, entry, CARDS.declined);
  const keyed = await processor.hostedEntryStatus(entry.sessionId);
  if (keyed.state !== "completed") throw new Error(`keying the declining card: ${keyed.state}`);
  const decline = keyed.card;
  const at = new Date(START).toISOString();
  const store = openKioskStore({ path, deviceId: GATEWAY_SETTINGS.deviceId, clock: fixedClock(at), logger });
  store.invoices.upsertInvoice(
    invoice({
      id: INVOICE_ID,
      number: "M-1",
      client: { id: CLIENT_ID, firstName: "Ada", lastName: "Núñez" },
      totalMinor: 10 ** 9,
    }),
    at,
  );
  store.savedCards.save(CLIENT_ID, approve, at);
  store.close();
  return {
    path,
    savedCardTokens: { approve: approve.token, decline: decline.token },
    remove: () => dir.remove(),
  };
}

/**
 * The real side of the model test: a kiosk store in its own SQLite file and the charger over the
 * scripted processor in front of the Authorize.Net processor and its simulator. A crash closes the database where the
 * kiosk stands, as SIGKILL would leave it; `start()` is the next process, reopening the file.
 */
export class KioskUnderTest {
  readonly clock = fixedClock(new Date(START).toISOString());
  readonly logger = createMemoryLogger();
  readonly processor: ScriptedProcessor;
  readonly path: string;
  #store: StoreWithLedger | null = null;
  #charger: CardCharger | null = null;
  #availability: ProcessorAvailability | null = null;
  readonly #dir = tempDir("spectra-intent-run-");

  /** `realProcessor`: the kiosk's Authorize.Net processor for `simulator`, behind the script. */
  constructor(
    readonly simulator: RunningAuthorizeNetSimulator,
    readonly template: KioskTemplate,
    readonly realProcessor: CardProcessor,
  ) {
    this.path = join(this.#dir.path, "kiosk.sqlite");
    copyFileSync(template.path, this.path);
    this.processor = new ScriptedProcessor(this.realProcessor, () => this.#close());
    this.start();
  }

  get store(): StoreWithLedger {
    if (!this.#store) throw new Error("the kiosk is down");
    return this.#store;
  }

  get charger(): CardCharger {
    if (!this.#charger) throw new Error("the kiosk is down");
    return this.#charger;
  }

  get availability(): ProcessorAvailability {
    if (!this.#availability) throw new Error("the kiosk is down");
    return this.#availability;
  }

  /** A new kiosk process on the same file: the processor answers again, and nothing is known offline. */
  start(): void {
    this.processor.revive();
    const tables = openKioskStore({
      path: this.path,
      deviceId: GATEWAY_SETTINGS.deviceId,
      clock: this.clock,
      logger: this.logger,
    });
    const store: StoreWithLedger = { ...tables, ledger: ledgerOn(tables, GATEWAY_SETTINGS, this.clock) };
    const availability = new ProcessorAvailability(this.clock);
    this.#store = store;
    this.#availability = availability;
    this.#charger = new CardCharger({
      store,
      processor: this.processor,
      availability,
      offline: OFFLINE_POLICY,
      collection: new CardCollection(this.logger),
      logger: this.logger,
    });
  }

  stop(): void {
    this.#close();
  }

  snapshot(): KioskSnapshot {
    const db = new Database(this.path, { readonly: true });
    try {
      const records = new RecordStore(db, new AuditLog(db)).forInvoice(INVOICE_ID);
      const intents = new IntentBook(db);
      const offline = new OfflineCardStore(db);
      const collections = new CollectionBook(db);
      return {
        records,
        intents: new Map(records.map((record) => [record.id, intents.forRecord(record.id)])),
        offlineStoredMinor: offline.storedTotal(),
        attempts: new Map(records.map((record) => [record.id, collections.forRecord(record.id).length])),
      };
    } finally {
      db.close();
    }
  }

  dispose(): void {
    this.#close();
    this.#dir.remove();
  }

  #close(): void {
    this.#store?.close();
    this.#store = null;
    this.#charger = null;
    this.#availability = null;
  }
}
