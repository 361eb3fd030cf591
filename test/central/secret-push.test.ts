import { createPublicKey } from "node:crypto";
import { writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CommandKeyHolder } from "../../src/central/dashboard/control/command-key.js";
import { ConfigPusher } from "../../src/central/dashboard/control/config-pusher.js";
import { setDeviceKey } from "../../src/central/dashboard/control/device-keys.js";
import type { Downlink } from "../../src/central/dashboard/control/downlink.js";
import type { CentralDb } from "../../src/central/db/central-db.js";
import { openPostgres } from "../../src/central/db/postgres-db.js";
import { migrateCentral } from "../../src/central/migrate.js";
import { systemClock } from "../../src/core/clock.js";
import { ErrorCodes } from "../../src/core/error-codes.js";
import { createMemoryLogger } from "../../src/core/logger.js";
import { newDeviceKeyPair, openSealedSecret } from "../../src/core/sealed-secret.js";
import type { Outgoing } from "../../src/sync/protocol/codec.js";
import { newCommandKeyPair, verifiesAs } from "../../src/sync/protocol/command-signature.js";
import { type DesiredConfig, desiredConfigSchema } from "../../src/sync/protocol/messages.js";
import { createTestDatabase, type TestDatabase } from "../helpers/postgres.js";
import { tempDir } from "../helpers/store.js";

const DEVICE = "kiosk-secret-push";
const NAME = "authorize-net-transaction-key";
const VALUE = "9QzX2rLk4Tw8pMn5";

/**
 * Central's side of secret delivery, on PostgreSQL: the kiosk's device key recorded, a secret sealed
 * to it at once and sent as the kiosk's next desired configuration (signed, with the settings before),
 * its value nowhere in central's database — and a kiosk without a device key gets nothing.
 */
describe("central delivers a secret sealed to the kiosk", () => {
  let database: TestDatabase;
  let db: CentralDb;
  const published: Outgoing[] = [];
  let pusher: ConfigPusher;
  const device = newDeviceKeyPair();
  const central = newCommandKeyPair();
  const keyDir = tempDir("spectra-secret-push-");

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await openPostgres({ url: database.url, poolSize: 2, logger: createMemoryLogger() });
    await migrateCentral(db, createMemoryLogger());
    for (const id of [DEVICE, "kiosk-without-key"])
      await db.query("INSERT INTO devices (device_id, last_seen_at) VALUES ($1, now())", [id]);
    const keyFile = `${keyDir.path}/command.pem`;
    writeFileSync(keyFile, central.privateKeyPem, { mode: 0o600 });
    pusher = new ConfigPusher({
      db,
      downlink: { publish: async (message: Outgoing) => published.push(message) > 0 } as unknown as Downlink,
      key: new CommandKeyHolder(keyFile),
      ttlDays: 30,
      settingsCheck: { paths: [], problems: () => [] },
      clock: systemClock,
      logger: createMemoryLogger(),
    });
  });
  afterAll(async () => {
    await db?.close();
    await database?.drop();
    keyDir.remove();
  });

  it("refuses a kiosk whose device key it does not have, and a key that is not a device key", async () => {
    await expect(
      pusher.pushSecret({ deviceId: "kiosk-without-key", name: NAME, value: VALUE, user: "ops" }),
    ).rejects.toMatchObject({
      code: ErrorCodes.DASHBOARD_CONFIG_INVALID,
    });
    await expect(
      setDeviceKey(db, DEVICE, newCommandKeyPair().publicKeyPem, "ops", new Date().toISOString()),
    ).rejects.toMatchObject({ code: ErrorCodes.DASHBOARD_CONFIG_INVALID });
    expect(published).toEqual([]);
  });

  it("seals the secret to the kiosk, signs it into the next version, and keeps only the sealed form", async () => {
    await setDeviceKey(db, DEVICE, device.publicKeyPem, "ops", new Date().toISOString());
    await pusher.push({
      deviceId: DEVICE,
      settingsText: '{"ui.idleTimeoutSeconds": 90}',
      baseVersion: null,
      user: "ops",
    });
    const pushed = await pusher.pushSecret({ deviceId: DEVICE, name: NAME, value: VALUE, user: "ops" });
    expect(pushed).toEqual({ version: 2, delivery: "sent" });
    const message = published.at(-1);
    const body = JSON.parse(String(message?.body)) as { payload: DesiredConfig };
    const desired = desiredConfigSchema.parse(body.payload);
    expect(desired).toMatchObject({
      deviceId: DEVICE,
      version: 2,
      settings: { "ui.idleTimeoutSeconds": 90 },
    });
    expect(verifiesAs("desiredConfig", desired, createPublicKey(central.publicKeyPem))).toBe(true);
    const sealed = desired.secrets?.[NAME];
    if (!sealed) throw new Error("no sealed secret");
    expect(openSealedSecret(sealed, device.privateKeyPem, { deviceId: DEVICE, name: NAME })).toBe(VALUE);
    expect(String(message?.body)).not.toContain(VALUE);
    // Nowhere in central's database, in any table, is the value.
    const tables = await db.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()",
    );
    for (const { table_name: table } of tables) {
      const rows = await db.query(`SELECT * FROM "${table}"`);
      expect(JSON.stringify(rows), table).not.toContain(VALUE);
    }
    const [audit] = await db.query<{ detail: unknown }>(
      "SELECT detail FROM dashboard_audit ORDER BY id DESC LIMIT 1",
    );
    expect(audit?.detail).toEqual({ version: 2, secrets: [NAME] });
  });
});
