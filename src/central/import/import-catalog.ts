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
  let done = 0;
  progress.start(file.clients.length + file.invoices.length);
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
  } finally {
    progress.finish();
  }
  return { clientsChanged, invoicesChanged, cursor: await catalogCursor(db) };
}
