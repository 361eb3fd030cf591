import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import { catalogCursor } from "./catalog-store.js";
import type { CentralDb } from "./db/central-db.js";
import { readCatalogFile } from "./import/catalog-file.js";
import { importCatalog } from "./import/import-catalog.js";

/**
 * The laptop demo's invoices: a catalog file imported once, into an empty catalog, so a person
 * trying the kiosk has invoices to find. A catalog that has ever changed is left as it is.
 */
export async function seedCatalog(db: CentralDb, path: string, clock: Clock, logger: Logger): Promise<void> {
  if ((await catalogCursor(db)) > 0) return;
  const file = readCatalogFile(path);
  const result = await importCatalog(db, file, { at: clock.now().toISOString() });
  logger.info(
    `catalog seeded from ${path}: ${result.invoicesChanged} invoice(s), ${result.clientsChanged} client(s)`,
  );
}
