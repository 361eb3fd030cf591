import type { MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nudgeKiosks } from "../../src/central/catalog-nudge.js";
import { type RunningCentral, startCentral } from "../../src/central/central.js";
import { readCommandKey } from "../../src/central/dashboard/control/command-key.js";
import { importCatalog } from "../../src/central/import/import-catalog.js";
import { managedSettingsCheck } from "../../src/config/managed-settings.js";
import { systemClock } from "../../src/core/clock.js";
import { newId } from "../../src/core/ids.js";
import { createMemoryLogger } from "../../src/core/logger.js";
import type { Invoice } from "../../src/payments/invoice.js";
import type { KioskStore } from "../../src/store/kiosk-store.js";
import { CatalogCursor } from "../../src/sync/agent/catalog-cursor.js";
import type { SyncAgent } from "../../src/sync/agent/sync-agent.js";
import { encodeMessage } from "../../src/sync/protocol/codec.js";
import { commandPrivateKey, newCommandKeyPair } from "../../src/sync/protocol/command-signature.js";
import type { CatalogPage } from "../../src/sync/protocol/messages.js";
import { type PageContent, signedPage } from "../helpers/catalog-pages.js";
import { externalBroker, testCommandKey, testConfig } from "../helpers/kiosk-config.js";
import { openTestStore, scratchDir } from "../helpers/kiosk-store.js";
import { createTestDatabase, type TestDatabase } from "../helpers/postgres.js";
import { connectAs, type ShippedMosquitto, startShippedMosquitto } from "../helpers/shipped-mosquitto.js";
import { startAgent } from "../helpers/sync-harness.js";
import { until } from "../helpers/wait.js";

const KIOSK = "kiosk-cat-a";
const OTHER = "kiosk-cat-b";
const CENTRAL = "central-secret";
const PASSWORDS = { [KIOSK]: "secret-a", [OTHER]: "secret-b" } as const;

const invoice = (totalMinor: number): Omit<Invoice, "version"> => ({
  id: "inv-cat-1",
  number: "C-1001",
  client: { id: "cl-cat-1", firstName: "Ana", lastName: "Núñez" },
  sessionId: null,
  lines: [{ description: "Portrait session", quantity: 1, amountMinor: totalMinor }],
  totalMinor,
  currency: "USD",
});

/**
 * A catalog page fills the invoice cache a client pays against. The attacker holds what can write a
 * kiosk's downlink (central's broker account on the shipped Mosquitto) but not central's signing
 * key: every page it makes, or replays from elsewhere, is refused with its code and changes
 * nothing, while central's own pages keep arriving and applying.
 */
describe("signed catalog pages (shipped Mosquitto, central on PostgreSQL, a kiosk's agent)", () => {
  let broker: ShippedMosquitto;
  let database: TestDatabase;
  let dir: ReturnType<typeof scratchDir>;
  let central: RunningCentral;
  let store: KioskStore;
  let agent: SyncAgent;
  let attacker: MqttClient;
  let keyFile: string;
  const logger = createMemoryLogger();

  const centralEndpoint = () =>
    ({
      url: broker.url,
      protocolVersion: 5,
      keepaliveSeconds: 30,
      username: "spectra-central",
      password: CENTRAL,
    }) as const;
  const publishPage = async (page: CatalogPage): Promise<void> => {
    const message = encodeMessage("catalogPage", KIOSK, page, {
      messageId: newId(),
      sentAt: new Date().toISOString(),
    });
    await attacker.publishAsync(message.topic, message.body, { qos: 1 });
  };
  const refusals = (code: string) =>
    logger.lines.filter((line) => line.includes(`[${code}] catalog page refused`)).length;
  const cached = () => store.invoices.get("inv-cat-1");

  beforeAll(async () => {
    broker = await startShippedMosquitto({ centralPassword: CENTRAL, kiosks: PASSWORDS });
    database = await createTestDatabase();
    dir = scratchDir("spectra-catalog-signatures-");
    const key = testCommandKey(dir.path);
    keyFile = key.keyFile;
    const config = testConfig({
      deviceId: "central-test",
      dataDir: dir.path,
      central: {
        enabled: true,
        database: { mode: "postgres", url: database.url, poolSize: 4 },
        broker: externalBroker(broker.url, { username: "spectra-central", password: CENTRAL }),
        ingest: { reconnect: { initialDelayMs: 100, maxDelayMs: 1000 } },
        dashboard: { commandKeyFile: keyFile },
      },
    });
    central = await startCentral({
      config: config.central,
      kioskBroker: config.sync.broker,
      logger: createMemoryLogger(),
      clock: systemClock,
      settingsCheck: managedSettingsCheck,
    });
    await importCatalog(
      central.db,
      { clients: [], invoices: [invoice(25_000)] },
      { at: new Date().toISOString() },
    );
    store = openTestStore(dir.path, KIOSK);
    agent = startAgent(
      store,
      KIOSK,
      broker.url,
      { broker: externalBroker(broker.url, { username: KIOSK, password: PASSWORDS[KIOSK] }) },
      logger,
      key.publicKeyPem,
    );
    attacker = await connectAs(broker.url, "spectra-central", CENTRAL);
  }, 60_000);

  afterAll(async () => {
    await attacker?.endAsync();
    await agent?.stop();
    await central?.stop();
    store?.close();
    await database?.drop();
    await broker?.dispose();
    dir?.remove();
  });

  it("applies central's signed pages on connecting", async () => {
    await until(() => cached()?.totalMinor === 25_000, "central's invoice at the kiosk", 20_000);
    expect(logger.lines.filter((line) => line.includes("catalog page refused"))).toEqual([]);
  });

  it("refuses forged and replayed pages on its downlink, changing nothing", async () => {
    const cursor = new CatalogCursor(store.db);
    const before = { invoice: cached(), cursor: cursor.get() };
    expect(before.cursor).toBeGreaterThan(0);
    // Each page would cut the invoice's total to 1.00 and plant another invoice, past any cursor.
    const forgedContent: PageContent = {
      since: 0,
      cursor: before.cursor + 1000,
      more: false,
      clients: [],
      invoices: [
        { ...invoice(100), version: 99 },
        { ...invoice(100), id: "inv-planted", number: "C-6666", version: 1 },
      ],
    };
    const centralKey = readCommandKey(keyFile);
    const attackerKey = commandPrivateKey(newCommandKeyPair().privateKeyPem);
    const genuineForKiosk = signedPage(forgedContent, KIOSK, centralKey);
    const forged: [string, CatalogPage, string][] = [
      ["unsigned", { ...genuineForKiosk, signature: "" }, "REMOTE_CATALOG_UNSIGNED"],
      [
        "signed by the attacker's key",
        signedPage(forgedContent, KIOSK, attackerKey),
        "REMOTE_CATALOG_BAD_SIGNATURE",
      ],
      [
        "central's page with an amount changed",
        {
          ...signedPage(
            { ...forgedContent, invoices: [{ ...invoice(25_000), version: 99 }] },
            KIOSK,
            centralKey,
          ),
          invoices: forgedContent.invoices,
        },
        "REMOTE_CATALOG_BAD_SIGNATURE",
      ],
      // What central signed for another kiosk, replayed here (the central account reads every downlink).
      [
        "central's page for another kiosk",
        signedPage(forgedContent, OTHER, centralKey),
        "REMOTE_CATALOG_WRONG_DEVICE",
      ],
      [
        "an old page of central's, replayed",
        signedPage(forgedContent, KIOSK, centralKey, new Date(Date.now() - 3_600_000)),
        "REMOTE_CATALOG_EXPIRED",
      ],
    ];
    for (const [what, page, code] of forged) {
      const seen = refusals(code);
      await publishPage(page);
      await until(() => refusals(code) > seen, `${what} refused with ${code}`, 10_000);
    }
    expect(cached()).toEqual(before.invoice);
    expect(store.invoices.get("inv-planted")).toBeNull();
    expect(cursor.get()).toBe(before.cursor);
  });

  it("still applies central's genuine pages after the forgeries", async () => {
    const changed = await importCatalog(
      central.db,
      { clients: [], invoices: [invoice(30_000)] },
      { at: new Date().toISOString() },
    );
    await nudgeKiosks({
      endpoint: centralEndpoint(),
      deviceIds: [KIOSK],
      cursor: changed.cursor,
      logger: createMemoryLogger(),
      clock: systemClock,
    });
    await until(() => cached()?.totalMinor === 30_000, "central's changed invoice at the kiosk", 20_000);
    expect(new CatalogCursor(store.db).get()).toBe(changed.cursor);
    expect(store.invoices.get("inv-planted")).toBeNull();
  });
});
