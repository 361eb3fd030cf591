import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ledger, type LedgerSettings } from "../../src/checkout/ledger.js";
import { type Clock, fixedClock } from "../../src/core/clock.js";
import { newId } from "../../src/core/ids.js";
import { createMemoryLogger } from "../../src/core/logger.js";
import { type KioskStore, openKioskStore } from "../../src/store/kiosk-store.js";
import { invoice, LIMITS, METHODS } from "./payments.js";

export const SETTINGS: LedgerSettings = {
  deviceId: "kiosk-test",
  timeZone: "America/Denver",
  methods: METHODS,
  limits: LIMITS,
  processorKind: "manual",
};

export function tempDir(prefix = "spectra-test-"): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** The ledger over a store's tables, as the kiosk builds it. */
export function ledgerOn(store: KioskStore, settings: LedgerSettings, clock: Clock): Ledger {
  return new Ledger({ ...store, clock, newId }, settings);
}

/** A store with the ledger over it: what tests of the money path write through. */
export type StoreWithLedger = KioskStore & { readonly ledger: Ledger };

export interface TestStore extends StoreWithLedger {
  readonly path: string;
  readonly clock: ReturnType<typeof fixedClock>;
  /** Closes the store and removes its directory. */
  dispose(): void;
}

/**
 * A fresh kiosk store in a temp directory, with invoice inv-1 (A-1001, $250.00) cached, and the
 * ledger over it.
 */
export function testStore(settings: Partial<LedgerSettings> = {}): TestStore {
  const dir = tempDir();
  const path = join(dir.path, "kiosk.sqlite");
  const clock = fixedClock("2026-11-26T17:00:00Z");
  const ledgerSettings = { ...SETTINGS, ...settings };
  const store = openKioskStore({
    path,
    deviceId: ledgerSettings.deviceId,
    clock,
    logger: createMemoryLogger(),
  });
  store.invoices.upsertInvoice(invoice(), clock.now().toISOString());
  return {
    ...store,
    ledger: ledgerOn(store, ledgerSettings, clock),
    path,
    clock,
    dispose: () => {
      store.close();
      dir.remove();
    },
  };
}
