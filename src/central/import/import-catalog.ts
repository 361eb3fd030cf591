import { writeSpectraPayments } from "../balances/spectra-payments.js";
import { type CatalogWrite, catalogCursor, writeCatalog } from "../catalog-store.js";
import type { CentralDb } from "../db/central-db.js";
import type { CatalogFile } from "./catalog-file.js";

export interface ImportProgress {
  start(total: number): void;
  advance(done: number): void;
  finish(): void;
}

export const SILENT_PROGRESS: ImportProgress = { start: () => {}, advance: () => {}, finish: () => {} };

export interface ImportResult extends CatalogWrite {
  /** Payments made in Spectra that central did not have yet (a payment imported again is not counted). */
  readonly paymentsRecorded: number;
  /** The catalog's change number after the import: kiosks behind it will pull. */
  readonly cursor: number;
}

/**
 * Writes a checked catalog file in chunks, one transaction per chunk (clients first, so every
 * invoice finds its client). A failed chunk stops the import; chunks already written stay, and
 * running the same file again finishes it without changing what is already there.
 */
export async function importCatalog(
  db: CentralDb,
  file: CatalogFile,
  options: { at: string; chunkSize?: number; progress?: ImportProgress },
): Promise<ImportResult> {
  const chunkSize = options.chunkSize ?? 500;
  const progress = options.progress ?? SILENT_PROGRESS;
  let clientsChanged = 0;
  let invoicesChanged = 0;
  let paymentsRecorded = 0;
  const payments = file.payments ?? [];
  let done = 0;
  progress.start(file.clients.length + file.invoices.length + payments.length);
  try {
    for (let start = 0; start < file.clients.length; start += chunkSize) {
      const chunk = file.clients.slice(start, start + chunkSize);
      const written = await db.transaction((tx) => writeCatalog(tx, chunk, [], options.at));
      clientsChanged += written.clientsChanged;
      done += chunk.length;
      progress.advance(done);
    }
    for (let start = 0; start < file.invoices.length; start += chunkSize) {
      const chunk = file.invoices.slice(start, start + chunkSize);
      const written = await db.transaction((tx) => writeCatalog(tx, [], chunk, options.at));
      invoicesChanged += written.invoicesChanged;
      done += chunk.length;
      progress.advance(done);
    }
    // After the invoices, so a payment finds its invoice; each payment is written once by its reference.
    for (let start = 0; start < payments.length; start += chunkSize) {
      const chunk = payments.slice(start, start + chunkSize);
      const written = await db.transaction((tx) => writeSpectraPayments(tx, chunk, "import", options.at));
      paymentsRecorded += written.recorded;
      done += chunk.length;
      progress.advance(done);
    }
  } finally {
    progress.finish();
  }
  return { clientsChanged, invoicesChanged, paymentsRecorded, cursor: await catalogCursor(db) };
}
