import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CatalogSigner } from "../../src/central/catalog-signer.js";
import { writeCatalog } from "../../src/central/catalog-store.js";
import type { CentralDb } from "../../src/central/db/central-db.js";
import { openPostgres } from "../../src/central/db/postgres-db.js";
import { migrateCentral } from "../../src/central/migrate.js";
import { fixedClock } from "../../src/core/clock.js";
import { ErrorCodes } from "../../src/core/error-codes.js";
import { KioskError } from "../../src/core/kiosk-error.js";
import { createMemoryLogger } from "../../src/core/logger.js";
import {
  commandPrivateKey,
  commandPublicKey,
  newCommandKeyPair,
  verifiesAs,
} from "../../src/sync/protocol/command-signature.js";
import { catalogPageSchema } from "../../src/sync/protocol/messages.js";
import { createTestDatabase, type TestDatabase } from "../helpers/postgres.js";
import { sampleInvoice } from "../helpers/sync-fixtures.js";

const keys = newCommandKeyPair();
const clock = fixedClock("2026-12-03T09:00:00.000Z");

describe("central's catalog pages (PostgreSQL)", () => {
  let database: TestDatabase;
  let db: CentralDb;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await openPostgres({ url: database.url, poolSize: 2, logger: createMemoryLogger() });
    await migrateCentral(db, createMemoryLogger());
    const { version: _version, ...invoice } = sampleInvoice({ id: "inv-s-1", number: "S-1" });
    await db.transaction((tx) => writeCatalog(tx, [], [invoice], clock.now().toISOString()));
  });
  afterAll(async () => {
    await db?.close();
    await database?.drop();
  });

  it("signs each page for the kiosk that asked, valid for the configured time", async () => {
    const signer = new CatalogSigner({
      db,
      key: () => commandPrivateKey(keys.privateKeyPem),
      ttlSeconds: 90,
      clock,
      logger: createMemoryLogger(),
    });
    const page = await signer.pageFor("kiosk-s", { since: 0, limit: 10 });
    if (!page) throw new Error("no page");
    expect(catalogPageSchema.parse(page)).toEqual(page);
    expect(page).toMatchObject({
      deviceId: "kiosk-s",
      since: 0,
      more: false,
      issuedAt: "2026-12-03T09:00:00.000Z",
      expiresAt: "2026-12-03T09:01:30.000Z",
    });
    expect(page.invoices.map((invoice) => invoice.id)).toEqual(["inv-s-1"]);
    expect(verifiesAs("catalogPage", page, commandPublicKey(keys.publicKeyPem))).toBe(true);
  });

  it("sends no page without a key, and says so once", async () => {
    const logger = createMemoryLogger();
    const signer = new CatalogSigner({
      db,
      key: () => {
        throw new KioskError(ErrorCodes.DASHBOARD_NO_COMMAND_KEY, "No command key is configured.");
      },
      ttlSeconds: 90,
      clock,
      logger,
    });
    expect(await signer.pageFor("kiosk-s", { since: 0, limit: 10 })).toBeNull();
    expect(await signer.pageFor("kiosk-s", { since: 0, limit: 10 })).toBeNull();
    const said = logger.lines.filter((line) => line.includes(ErrorCodes.CENTRAL_CATALOG_NOT_SIGNED));
    expect(said).toHaveLength(1);
  });
});
