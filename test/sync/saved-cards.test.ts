import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningKiosk, startKiosk } from "../../src/app/kiosk.js";
import { systemClock } from "../../src/core/clock.js";
import { createMemoryLogger } from "../../src/core/logger.js";
import { sqlOf } from "../helpers/central-queries.js";
import { externalBroker, postgresCentral, testConfig } from "../helpers/kiosk-config.js";
import { scratchDir } from "../helpers/kiosk-store.js";
import { type PrivateMosquitto, startMosquitto } from "../helpers/mosquitto.js";
import { createTestDatabase, type TestDatabase } from "../helpers/postgres.js";
import { until } from "../helpers/wait.js";

const DEVICE = "kiosk-saved-cards";

describe("saved cards are synced with central", () => {
  let broker: PrivateMosquitto;
  let database: TestDatabase;
  let dir: ReturnType<typeof scratchDir>;
  let kiosk: RunningKiosk;

  beforeAll(async () => {
    broker = await startMosquitto();
    database = await createTestDatabase();
    dir = scratchDir();
    kiosk = await startKiosk({
      config: testConfig({
        deviceId: DEVICE,
        dataDir: join(dir.path, "kiosk"),
        sync: { broker: externalBroker(broker.url) },
        central: postgresCentral(database.url, broker.url),
      }),
      logger: createMemoryLogger(),
      clock: systemClock,
    });
  });

  afterAll(async () => {
    await kiosk?.stop();
    await broker?.dispose();
    await database?.drop();
    dir?.remove();
  });

  it("sends a saved card and its removal, marks them synced on central's ack, and central keeps brand, last 4 and expiry", async () => {
    if (kiosk.state.kind !== "in-service") throw new Error("kiosk out of service");
    const { savedCards } = kiosk.state.store;
    savedCards.save(
      "client-7",
      { token: "tok_abc", brand: "Visa", last4: "4242", expiry: { month: 12, year: 2030 } },
      new Date().toISOString(),
      { by: "client", at: "2026-12-02T10:00:00.000Z" },
    );
    const db = sqlOf(database.pool);
    await until(
      async () => (await db.query("SELECT 1 FROM saved_cards WHERE token = 'tok_abc'")).length === 1,
      "the card at central",
      20_000,
    );
    const [row] = await db.query<Record<string, unknown>>(
      "SELECT device_id, client_id, brand, last4, exp_month, exp_year, removed_at, consent_by, consent_at FROM saved_cards WHERE token = 'tok_abc'",
    );
    expect(row).toEqual({
      device_id: DEVICE,
      client_id: "client-7",
      brand: "Visa",
      last4: "4242",
      exp_month: 12,
      exp_year: 2030,
      removed_at: null,
      consent_by: "client",
      consent_at: new Date("2026-12-02T10:00:00.000Z"),
    });
    await until(() => savedCards.unsynced(10).length === 0, "the kiosk marking it synced", 20_000);

    savedCards.remove("tok_abc", new Date().toISOString());
    await until(
      async () =>
        (await db.query("SELECT 1 FROM saved_cards WHERE token = 'tok_abc' AND removed_at IS NOT NULL"))
          .length === 1,
      "the removal at central",
      20_000,
    );
    await until(() => savedCards.unsynced(10).length === 0, "the removal marked synced", 20_000);
  }, 60_000);
});
