import { writeFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type RunningKiosk, startKiosk } from "../../src/app/kiosk.js";
import { nudgeKiosks } from "../../src/central/catalog-nudge.js";
import { importCatalog } from "../../src/central/import/import-catalog.js";
import { systemClock } from "../../src/core/clock.js";
import { ErrorCodes } from "../../src/core/error-codes.js";
import { createMemoryLogger } from "../../src/core/logger.js";
import { centralRecord, centralTotals } from "../helpers/central-queries.js";
import { runCli } from "../helpers/cli-process.js";
import {
  externalBroker,
  postgresCentral,
  testCommandKey,
  testConfig,
  writeTestConfig,
} from "../helpers/kiosk-config.js";
import { scratchDir, seedRecords } from "../helpers/kiosk-store.js";
import { startMosquitto } from "../helpers/mosquitto.js";
import { freePort } from "../helpers/ports.js";
import { createTestDatabase } from "../helpers/postgres.js";
import { sampleInvoice } from "../helpers/sync-fixtures.js";
import { expectDelivered } from "../helpers/sync-harness.js";
import { sleep, until } from "../helpers/wait.js";

const listening = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });

describe("embedded mode: kiosk, aedes broker and PGlite central in one process (npm start)", () => {
  const dir = scratchDir();
  let kiosk: RunningKiosk | null = null;
  afterAll(async () => {
    await kiosk?.stop();
    dir.remove();
  });

  it("syncs records into the embedded central and serves the catalog to the kiosk", async () => {
    const key = testCommandKey(dir.path);
    const options = {
      deviceId: "kiosk-laptop",
      dataDir: join(dir.path, "kiosk"),
      sync: { broker: { mode: "embedded", host: "127.0.0.1", port: 0 } },
      // Central signs the catalog pages it serves with this key; the kiosk trusts it.
      central: {
        enabled: true,
        database: { mode: "embedded", dataDir: join(dir.path, "central") },
        dashboard: { commandKeyFile: key.keyFile },
      },
      extra: { remote: key.remote },
    };
    const configPath = writeTestConfig(dir.path, "laptop", options);
    kiosk = await startKiosk({
      config: testConfig(options),
      logger: createMemoryLogger(),
      clock: systemClock,
    });
    const { central, sync, broker } = kiosk;
    if (kiosk.state.kind !== "in-service" || !central || !sync || !broker)
      throw new Error("not all parts started");
    const store = { ...kiosk.state.store, ledger: kiosk.state.ledger };
    expect(central.db.kind).toBe("pglite");
    await until(() => sync.connected, "the agent on the embedded broker");

    const invoice = sampleInvoice({ id: "inv-laptop", number: "L-1" });
    const { version: _version, ...input } = invoice;
    const result = await importCatalog(
      central.db,
      { clients: [], invoices: [input] },
      { at: new Date().toISOString() },
    );
    await nudgeKiosks({
      endpoint: { url: broker.url, protocolVersion: 4, keepaliveSeconds: 30 },
      deviceIds: ["kiosk-laptop"],
      cursor: result.cursor,
      logger: createMemoryLogger(),
      clock: systemClock,
    });
    await until(() => store.invoices.get("inv-laptop") !== null, "the invoice at the kiosk");
    const payment = store.ledger.record(
      {
        kind: "payment",
        invoiceId: "inv-laptop",
        amountMinor: 2500,
        currency: "USD",
        methodId: "cash",
        methodFields: { type: "cash", amountTenderedMinor: 2500 },
      },
      { kind: "staff", staffId: "csh" },
    );
    seedRecords(store, invoice, "kiosk-laptop", 300);
    await until(() => store.outbox.depth().depth === 0, "the outbox to drain into PGlite", 60_000);
    expect(await centralRecord(central.db, payment.id)).toEqual(payment);
    await expectDelivered([store], central.db);

    // PGlite serves one process: a second one is refused, not allowed to corrupt it.
    const file = join(dir.path, "catalog.json");
    writeFileSync(file, JSON.stringify({ clients: [{ id: "cl-x", firstName: "X", lastName: "Y" }] }));
    const second = await runCli(["central", "import", file, "--config", configPath]);
    expect(second.code).toBe(1);
    expect(second.output).toContain(ErrorCodes.CENTRAL_DB_IN_USE);
    const other = await runCli(["central", "--config", configPath]);
    expect(other.code).toBe(1);
    expect(other.output).toContain(ErrorCodes.CENTRAL_DB_IN_USE);
  }, 120_000);
});

describe("a kiosk configured for an external broker that is down", () => {
  const dir = scratchDir();
  afterAll(() => dir.remove());

  it("starts no broker of its own and keeps its records queued until the broker is back", async () => {
    const port = await freePort();
    const url = `mqtt://127.0.0.1:${port}`;
    const database = await createTestDatabase();
    const options = {
      deviceId: "kiosk-waiting",
      dataDir: join(dir.path, "kiosk"),
      sync: { broker: externalBroker(url), reconnect: { initialDelayMs: 100, maxDelayMs: 400 } },
      // Central is configured too, but for the same (missing) broker: nothing stands in for it.
      central: postgresCentral(database.url, url),
    };
    const kiosk = await startKiosk({
      config: testConfig(options),
      logger: createMemoryLogger(),
      clock: systemClock,
    });
    try {
      if (kiosk.state.kind !== "in-service" || !kiosk.sync || !kiosk.central) throw new Error("not started");
      const store = kiosk.state.store;
      expect(kiosk.broker).toBeNull();
      seedRecords(store, sampleInvoice(), "kiosk-waiting", 1000);
      await sleep(1500);
      expect(await listening(port)).toBe(false);
      expect(kiosk.sync.connected).toBe(false);
      expect(store.outbox.depth().depth).toBe(1000);
      expect((await centralTotals(kiosk.central.db)).count).toBe(0);

      const broker = await startMosquitto({ port });
      try {
        await until(
          () => store.outbox.depth().depth === 0,
          "the queue to drain once the broker is up",
          60_000,
        );
        await expectDelivered([store], kiosk.central.db);
      } finally {
        await kiosk.stop();
        await broker.dispose();
      }
    } finally {
      await kiosk.stop();
      await database.drop();
    }
  }, 120_000);
});
