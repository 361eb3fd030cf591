import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fixedClock } from "../../src/core/clock.js";
import { createMemoryLogger } from "../../src/core/logger.js";
import { type KioskStore, openKioskStore } from "../../src/store/kiosk-store.js";
import type { LedgerSettings } from "../../src/store/ledger.js";
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

export interface TestStore extends KioskStore {
  readonly path: string;
  readonly clock: ReturnType<typeof fixedClock>;
  /** Closes the store and removes its directory. */
  dispose(): void;
}

/** A fresh kiosk store in a temp directory, with invoice inv-1 (A-1001, $250.00) cached. */
export function testStore(settings: Partial<LedgerSettings> = {}): TestStore {
  const dir = tempDir();
  const path = join(dir.path, "kiosk.sqlite");
  const clock = fixedClock("2026-11-26T17:00:00Z");
  const store = openKioskStore({
    path,
    settings: { ...SETTINGS, ...settings },
    clock,
    logger: createMemoryLogger(),
  });
  store.invoices.upsertInvoice(invoice(), clock.now().toISOString());
  return {
    ...store,
    path,
    clock,
    dispose: () => {
      store.close();
      dir.remove();
    },
  };
}
