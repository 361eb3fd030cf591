import { type CardService, startCardService } from "../checkout/cards/card-service.js";
import { Checkout } from "../checkout/checkout.js";
import type { CheckoutTables } from "../checkout/checkout-tables.js";
import { Ledger } from "../checkout/ledger.js";
import { ShiftDesk } from "../checkout/shift-desk.js";
import type { KioskConfig } from "../config/schema.js";
import type { Clock } from "../core/clock.js";
import { newId } from "../core/ids.js";
import type { Logger } from "../core/logger.js";
import type { KioskStore } from "../store/kiosk-store.js";
import { readKioskSecret } from "./kiosk-secrets.js";
import { ledgerSettings } from "./ledger-settings.js";

/** How often the card service probes the processor, forwards offline payments and collects due ones. */
const CARD_ROUND_MS = 30_000;

/** Checkout as the running kiosk has it: the facade for the screens, and what runs beneath it. */
export interface RunningCheckout {
  readonly checkout: Checkout;
  readonly ledger: Ledger;
  readonly cards: CardService;
}

/**
 * Builds checkout over the store's tables: the ledger, card processing (reconciling what a crash left
 * open before anything new is charged), the shift desk and the facade the screens talk to. Each part
 * is handed the tables it uses, never the store.
 */
export async function startCheckout(deps: {
  readonly config: KioskConfig;
  readonly store: KioskStore;
  readonly clock: Clock;
  readonly logger: Logger;
}): Promise<RunningCheckout> {
  const { config, store, clock, logger } = deps;
  const ledger = new Ledger(
    {
      transact: store.transact,
      records: store.records,
      invoices: store.invoices,
      shifts: store.shifts,
      intents: store.intents,
      clock,
      newId,
    },
    ledgerSettings(config),
  );
  const tables: CheckoutTables = {
    ledger,
    transact: store.transact,
    invoices: store.invoices,
    records: store.records,
    intents: store.intents,
    offlineCards: store.offlineCards,
    savedCards: store.savedCards,
    collections: store.collections,
    keyedEntries: store.keyedEntries,
    shifts: store.shifts,
    outbox: store.outbox,
    lock: store.lock,
  };
  const cards = await startCardService({
    config: config.processor,
    store: tables,
    clock,
    timeZone: config.studio.timeZone,
    logger: logger.child("cards"),
    intervalMs: CARD_ROUND_MS,
    readSecret: (name) => readKioskSecret(config.dataDir, name),
    currency: config.studio.currency,
  });
  const desk = new ShiftDesk({
    store: {
      transact: store.transact,
      shifts: store.shifts,
      records: store.records,
      drawerCounts: store.drawerCounts,
    },
    currency: config.studio.currency,
    clock,
    newId,
  });
  const checkout = new Checkout({
    tables,
    desk,
    cards,
    staff: config.staff,
    clock,
    logger: logger.child("checkout"),
  });
  return { checkout, ledger, cards };
}
