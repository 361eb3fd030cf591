import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningKiosk, startKiosk } from "../../src/app/kiosk.js";
import { SOFTWARE_VERSION } from "../../src/app/version.js";
import { contentHash } from "../../src/central/ingest/incoming.js";
import { systemClock } from "../../src/core/clock.js";
import { createMemoryLogger } from "../../src/core/logger.js";
import type { PaymentRecord } from "../../src/payments/payment-record.js";
import { centralRecord, centralTotals, sqlOf } from "../helpers/central-queries.js";
import { runCli } from "../helpers/cli-process.js";
import {
  externalBroker,
  postgresCentral,
  testCommandKey,
  testConfig,
  writeTestConfig,
} from "../helpers/kiosk-config.js";
import { scratchDir } from "../helpers/kiosk-store.js";
import { type PrivateMosquitto, startMosquitto } from "../helpers/mosquitto.js";
import { createTestDatabase, type TestDatabase } from "../helpers/postgres.js";
import type { StoreWithLedger } from "../helpers/store.js";
import { until } from "../helpers/wait.js";

const DEVICE = "kiosk-e2e";

describe("kiosk → Mosquitto → central (PostgreSQL), end to end", () => {
  let broker: PrivateMosquitto;
  let database: TestDatabase;
  let dir: ReturnType<typeof scratchDir>;
  let kiosk: RunningKiosk;
  let store: StoreWithLedger;
  let configPath: string;

  beforeAll(async () => {
    broker = await startMosquitto();
    database = await createTestDatabase();
    dir = scratchDir();
    const key = testCommandKey(dir.path);
    const options = {
      deviceId: DEVICE,
      dataDir: join(dir.path, "kiosk"),
      sync: { broker: externalBroker(broker.url) },
      // Central signs the catalog pages it sends the kiosk with this key; the kiosk trusts it.
      central: { ...postgresCentral(database.url, broker.url), dashboard: { commandKeyFile: key.keyFile } },
      extra: { remote: key.remote },
    };
    configPath = writeTestConfig(dir.path, "kiosk", options);
    kiosk = await startKiosk({
      config: testConfig(options),
      logger: createMemoryLogger(),
      clock: systemClock,
    });
    if (kiosk.state.kind !== "in-service") throw new Error("kiosk out of service");
    store = { ...kiosk.state.store, ledger: kiosk.state.ledger };
  });

  afterAll(async () => {
    await kiosk?.stop();
    await broker?.dispose();
    await database?.drop();
    dir?.remove();
  });

  it("makes an invoice imported at central payable at the kiosk", async () => {
    const db = sqlOf(database.pool);
    // Central knows the kiosk once it has said it is online.
    await until(
      async () => (await db.query("SELECT 1 FROM devices WHERE state = 'online'")).length === 1,
      "kiosk online",
    );
    const file = join(dir.path, "invoices.json");
    writeFileSync(
      file,
      JSON.stringify({
        invoices: [
          {
            id: "inv-1001",
            number: "1001",
            client: { id: "cl-1", firstName: "Ana", lastName: "Núñez" },
            lines: [
              { description: "Session", quantity: 1, amountMinor: 15000 },
              { description: "Prints", quantity: 3, amountMinor: 4500 },
            ],
            currency: "USD",
          },
          {
            id: "inv-1002",
            number: "1002",
            client: { id: "cl-2", firstName: "Bo", lastName: "Li" },
            lines: [{ description: "Album", quantity: 1, amountMinor: 30000 }],
            currency: "USD",
          },
        ],
      }),
    );
    const imported = await runCli(["central", "import", file, "--config", configPath, "--no-progress"]);
    expect(imported.output).toContain("1 kiosk(s) told");
    expect(imported.code).toBe(0);
    await until(() => store.invoices.find("1001", "nunez") !== null, "invoice 1001 at the kiosk");
    expect(store.invoices.find("1001", "NÚÑEZ")?.totalMinor).toBe(19_500);
    expect(store.ledger.account("inv-1002").payable.minor).toBe(30_000);
  });

  it("delivers every record once, with every field, and marks each synced on central's ack", async () => {
    const staff = { kind: "staff", staffId: "csh" } as const;
    const cash = store.ledger.record(
      {
        kind: "payment",
        invoiceId: "inv-1001",
        amountMinor: 5000,
        currency: "USD",
        methodId: "cash",
        methodFields: { type: "cash", amountTenderedMinor: 6000 },
        note: "first part",
      },
      staff,
    );
    const card = store.ledger.record(
      {
        kind: "payment",
        invoiceId: "inv-1001",
        amountMinor: 14_500,
        currency: "USD",
        methodId: "card",
        methodFields: {
          type: "card",
          entryMode: "manual",
          authorizationCode: "AB12CD",
          maskedPan: "411111******1111",
        },
        refundable: true,
        refundableUntil: "2099-01-31",
      },
      staff,
    );
    const check = store.ledger.record(
      {
        kind: "payment",
        invoiceId: "inv-1002",
        amountMinor: 10_000,
        currency: "USD",
        methodId: "check",
        methodFields: { type: "check", checkNumber: "1234" },
      },
      staff,
    );
    const voided = store.ledger.void(check.id, { id: "mgr", role: "manager" });
    const refund = store.ledger.record(
      {
        kind: "refund",
        invoiceId: "inv-1001",
        amountMinor: 1000,
        currency: "USD",
        methodId: "cash",
        methodFields: { type: "cash" },
        refundOf: cash.id,
      },
      staff,
    );
    const expected: PaymentRecord[] = [cash, card, voided, refund];

    await until(() => store.outbox.depth().depth === 0, "every outbox row synced");
    const db = sqlOf(database.pool);
    for (const record of expected) {
      expect(await centralRecord(db, record.id)).toEqual(store.records.get(record.id));
    }
    expect(voided.revision).toBe(2);
    expect(await centralTotals(db)).toEqual({
      count: 4,
      amount: 5000 + 14_500 + 10_000 + 1000,
      revisions: 5,
      history: 5,
    });
    const outboxRows = store.db
      .prepare("SELECT count(*) AS n FROM outbox WHERE synced_at IS NOT NULL")
      .get() as {
      n: number;
    };
    expect(outboxRows.n).toBe(5);
    // The revision history knows each revision by its content: revision 1 of the voided check too.
    const [first] = await db.query<{ content_hash: string }>(
      "SELECT content_hash FROM payment_record_revisions WHERE record_id = $1 AND revision = 1",
      [check.id],
    );
    expect(first?.content_hash).toBe(contentHash(check));
  });

  it("keeps central's view of the kiosk: state and telemetry", async () => {
    const db = sqlOf(database.pool);
    await until(
      async () =>
        (
          await db.query<{ depth: unknown }>(
            "SELECT telemetry->'outbox'->>'depth' AS depth FROM devices WHERE device_id = $1 AND telemetry IS NOT NULL",
            [DEVICE],
          )
        )[0]?.depth === "0",
      "telemetry with an empty outbox",
    );
    const [device] = await db.query<{ state: string; telemetry: Record<string, unknown> }>(
      "SELECT state, telemetry FROM devices WHERE device_id = $1",
      [DEVICE],
    );
    expect(device?.state).toBe("online");
    expect(device?.telemetry).toMatchObject({
      softwareVersion: SOFTWARE_VERSION,
      // The simulated devices of the test configuration, as the dashboard shows them.
      drivers: { "card-reader": { status: "simulated" }, gpio: { status: "simulated" } },
      lastSyncAt: expect.any(String),
      outbox: { depth: 0, oldestUnsyncedAgeSeconds: null },
    });
    expect((device?.telemetry.disk as { freeBytes: number } | undefined)?.freeBytes).toBeGreaterThan(0);
  });
});
