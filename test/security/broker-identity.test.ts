import { join } from "node:path";
import { connectAsync, type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../src/core/ids.js";
import { decodeMessage, encodeMessage } from "../../src/sync/protocol/codec.js";
import { deviceTopic, downlinkFilter, uplinkFilter } from "../../src/sync/protocol/topics.js";
import { centralRecordCount, deadLetters, schemaReady, sqlOf } from "../helpers/central-queries.js";
import { type CliProcess, spawnCli } from "../helpers/cli-process.js";
import { externalBroker, writeTestConfig } from "../helpers/kiosk-config.js";
import { openTestStore, scratchDir, seedRecords } from "../helpers/kiosk-store.js";
import { createTestDatabase, type TestDatabase } from "../helpers/postgres.js";
import {
  ADMIN,
  connectAs,
  publishCode,
  type ShippedMosquitto,
  startShippedMosquitto,
  subscribeCodes,
} from "../helpers/shipped-mosquitto.js";
import { sampleInvoice } from "../helpers/sync-fixtures.js";
import { sleep, until } from "../helpers/wait.js";

const VICTIM = "kiosk-victim";
const ATTACKER = "kiosk-attacker";
const CENTRAL = "central-secret";
const PASSWORDS = { [VICTIM]: "victim-secret", [ATTACKER]: "attacker-secret" } as const;
const RECORDS = 40;
const WORKERS = 3;
const NOT_AUTHORIZED = 135;

const meta = () => ({ messageId: newId(), sentAt: new Date().toISOString() });
const telemetry = (softwareVersion: string) => ({
  softwareVersion,
  uptimeSeconds: 1,
  outbox: { depth: 0, oldestUnsyncedAgeSeconds: null },
  drivers: {},
  disk: { freeBytes: null },
  lastSyncAt: null,
});
const times = (text: string, needle: string): number => text.split(needle).length - 1;

/**
 * One kiosk's broker account in an attacker's hands, against the shipped Mosquitto configuration
 * (config/mosquitto, accounts set up as an operator does), central in its own process with several
 * ingest workers on one account, and a real kiosk (`spectra-kiosk sync`) over the kiosks' TLS
 * listener. Issue #18: the attacker must not take the kiosk's connection, nor a share of central's
 * uplink, nor any topic outside its own.
 */
describe("broker identity and isolation (shipped Mosquitto, real central and kiosk)", () => {
  let broker: ShippedMosquitto;
  let database: TestDatabase;
  let dir: ReturnType<typeof scratchDir>;
  let central: CliProcess;
  let victim: CliProcess;
  let watcher: MqttClient;
  const attackers: MqttClient[] = [];
  /** Every state message of the victim's that central's account sees, in order. */
  const victimStates: string[] = [];
  /** What the attacker's connections receive. */
  const stolen: string[] = [];
  let shareCodes: number[] = [];
  let shareCodes311: number[] = [];

  const attacker = async (options: Parameters<typeof connectAs>[3] = {}): Promise<MqttClient> => {
    const client = await connectAs(broker.url, ATTACKER, PASSWORDS[ATTACKER], {
      clientId: ATTACKER,
      ...options,
    });
    client.on("message", (topic) => stolen.push(topic));
    // Each new connection of the attacker's account replaces its last one (same client id).
    client.on("error", () => {});
    attackers.push(client);
    return client;
  };
  const db = () => sqlOf(database.pool);
  const victimRow = async () =>
    (
      await db().query<{ state: string; connection_id: string; telemetry_at: Date | null }>(
        "SELECT state, connection_id, telemetry_at FROM devices WHERE device_id = $1",
        [VICTIM],
      )
    )[0];

  beforeAll(async () => {
    broker = await startShippedMosquitto({ centralPassword: CENTRAL, kiosks: PASSWORDS, tls: true });
    database = await createTestDatabase();
    dir = scratchDir("spectra-broker-identity-");

    const centralConfig = writeTestConfig(dir.path, "central", {
      deviceId: "central-host",
      dataDir: join(dir.path, "central"),
      logLevel: "info",
      central: {
        enabled: true,
        database: { mode: "postgres", url: database.url, poolSize: 4 },
        broker: externalBroker(broker.url, { username: "spectra-central", password: CENTRAL }),
        ingest: {
          workers: WORKERS,
          shareGroup: "ingest",
          reconnect: { initialDelayMs: 100, maxDelayMs: 1000 },
        },
      },
    });
    central = spawnCli(["central", "--config", centralConfig]);
    await until(() => schemaReady(db()), "central's schema", 60_000);
    await until(
      () => times(central.output(), "connected to") >= WORKERS,
      "central's workers connected",
      30_000,
    );

    watcher = await connectAs(broker.url, "spectra-central", CENTRAL);
    watcher.on("message", (topic, body) => {
      const decoded = decodeMessage(topic, body, { direction: "up", maxBytes: 1 << 20 });
      if (decoded.ok && decoded.value.kind === "state" && decoded.value.deviceId === VICTIM)
        victimStates.push(decoded.value.payload.state);
    });
    await watcher.subscribeAsync(deviceTopic(VICTIM, "up", "state"), { qos: 1 });

    // The attacker joins central's share group before the victim says anything.
    const sharer = await attacker();
    shareCodes = await subscribeCodes(sharer, [
      uplinkFilter("ingest"),
      `$share/ingest/${deviceTopic(VICTIM, "up", "#")}`,
      uplinkFilter("other-group"),
      "$share/ingest/#",
    ]);
    const sharer311 = await attacker({ protocolVersion: 4, clientId: ATTACKER });
    shareCodes311 = await subscribeCodes(sharer311, [uplinkFilter("ingest")]);

    const kioskData = join(dir.path, "victim");
    const store = openTestStore(kioskData, VICTIM);
    seedRecords(store, sampleInvoice(), VICTIM, RECORDS);
    store.close();
    const victimConfig = writeTestConfig(dir.path, "victim", {
      deviceId: VICTIM,
      dataDir: kioskData,
      logLevel: "info",
      sync: {
        broker: externalBroker(broker.tlsUrl as string, {
          username: VICTIM,
          password: PASSWORDS[VICTIM],
          caFile: join(broker.dir, "ca.crt"),
        }),
      },
    });
    victim = spawnCli(["sync", "--config", victimConfig]);
  }, 120_000);

  afterAll(async () => {
    for (const client of attackers) await client.endAsync(true).catch(() => {});
    await watcher?.endAsync(true);
    await victim?.kill();
    await central?.kill();
    await broker?.dispose();
    await database?.drop();
    dir?.remove();
  });

  it("refuses a kiosk account every $share subscription, and central still receives everything", async () => {
    expect(shareCodes).toEqual([NOT_AUTHORIZED, NOT_AUTHORIZED, NOT_AUTHORIZED, NOT_AUTHORIZED]);
    expect(shareCodes311).toEqual([0x80]);
    await until(async () => (await centralRecordCount(db())) === RECORDS, "every record at central", 60_000);
    await until(async () => (await victimRow())?.telemetry_at != null, "the victim's telemetry at central");
    expect((await victimRow())?.state).toBe("online");
    expect(await deadLetters(db())).toEqual([]);
    expect(stolen).toEqual([]);
  }, 90_000);

  it("refuses a kiosk account another kiosk's client id: the victim stays connected, no Will is fired", async () => {
    await until(async () => (await victimRow())?.state === "online", "the victim online");
    const before = await victimRow();
    const attackAt = new Date();

    // On the local listener the plugin binds each kiosk account to its own client id.
    for (const clientId of [VICTIM, `kiosk-${VICTIM}`]) {
      const refused = await connectAs(broker.url, ATTACKER, PASSWORDS[ATTACKER], { clientId }).then(
        () => "connected",
        (error: { code?: number }) => error.code,
      );
      expect(refused).toBe(NOT_AUTHORIZED);
    }
    // On the kiosks' TLS listener the broker replaces whatever id is asked for by the user name.
    const overTls = await connectAsync(broker.tlsUrl as string, {
      protocolVersion: 5,
      clientId: VICTIM,
      username: ATTACKER,
      password: PASSWORDS[ATTACKER],
      ca: broker.ca(),
      reconnectPeriod: 0,
    });
    attackers.push(overTls);
    expect(overTls.connected).toBe(true);

    // The victim's next telemetry (every 2 s) proves its connection outlived the attacks.
    await until(
      async () => ((await victimRow())?.telemetry_at?.getTime() ?? 0) > attackAt.getTime() + 100,
      "the victim's telemetry after the attack",
      20_000,
    );
    const after = await victimRow();
    expect(after).toMatchObject({ state: "online", connection_id: before?.connection_id });
    expect(victimStates).not.toContain("offline");
    expect(times(victim.output(), "lost the connection")).toBe(0);
    expect(times(victim.output(), "connected to")).toBe(1);
  }, 60_000);

  it("keeps a kiosk account to its own topics: no other kiosk's, no downlink writes, no $SYS, no $CONTROL", async () => {
    const client = await attacker({ clientId: ATTACKER });
    expect(
      await subscribeCodes(client, [
        downlinkFilter(ATTACKER),
        downlinkFilter(VICTIM),
        "spectra/v1/kiosks/+/down/#",
        deviceTopic(VICTIM, "up", "#"),
        deviceTopic(ATTACKER, "up", "#"),
        "spectra/#",
        "#",
        "$SYS/#",
        "$CONTROL/#",
      ]),
    ).toEqual([1, ...Array<number>(8).fill(NOT_AUTHORIZED)]);

    const forgedUp = encodeMessage("telemetry", VICTIM, telemetry("forged"), meta());
    const forgedDown = encodeMessage("catalogChanged", VICTIM, { cursor: 99 }, meta());
    const ownDown = encodeMessage("catalogChanged", ATTACKER, { cursor: 99 }, meta());
    const makeMeAdmin = JSON.stringify({
      commands: [{ command: "addClientRole", username: ATTACKER, rolename: "admin" }],
    });
    expect(await publishCode(client, forgedUp.topic, forgedUp.body)).toBe(NOT_AUTHORIZED);
    expect(await publishCode(client, forgedDown.topic, forgedDown.body)).toBe(NOT_AUTHORIZED);
    expect(await publishCode(client, ownDown.topic, ownDown.body)).toBe(NOT_AUTHORIZED);
    expect(await publishCode(client, "$CONTROL/dynamic-security/v1", makeMeAdmin)).toBe(NOT_AUTHORIZED);
    // Its own uplink it may write (central stores what it says about itself).
    const own = encodeMessage("telemetry", ATTACKER, telemetry("attacker's own"), meta());
    expect(await publishCode(client, own.topic, own.body)).toBe(0);

    await until(
      async () =>
        (await db().query("SELECT 1 FROM devices WHERE device_id = $1 AND telemetry IS NOT NULL", [ATTACKER]))
          .length === 1,
      "the attacker's own telemetry at central",
    );
    const [victimTelemetry] = await db().query<{ version: string }>(
      "SELECT telemetry->>'softwareVersion' AS version FROM devices WHERE device_id = $1",
      [VICTIM],
    );
    expect(victimTelemetry?.version).not.toBe("forged");
    // Still no admin: a second try at $CONTROL is refused as the first was.
    const admin = await connectAs(broker.url, ADMIN.username, ADMIN.password);
    attackers.push(admin);
    const answer = new Promise<string>((resolve) =>
      admin.once("message", (_topic, body) => resolve(body.toString())),
    );
    await admin.subscribeAsync("$CONTROL/dynamic-security/v1/response", { qos: 1 });
    await admin.publishAsync(
      "$CONTROL/dynamic-security/v1",
      JSON.stringify({ commands: [{ command: "getClient", username: ATTACKER }] }),
      { qos: 1 },
    );
    const roles = JSON.parse(await answer) as {
      responses: { data: { client: { roles: { rolename: string }[] } } }[];
    };
    expect(roles.responses[0]?.data.client.roles.map((role) => role.rolename)).toEqual([ATTACKER]);
    await sleep(200);
    expect(stolen).toEqual([]);
  }, 60_000);

  it("lets central's workers share one account without taking one another's connection", () => {
    // Each worker connected once, with its own client id, and none was thrown off since; so did the
    // balance pusher and central's receipt mailer (src/central/mail), which always listens so a kiosk
    // gets an answer.
    expect(times(central.output(), "connected to")).toBe(WORKERS + 2);
    expect(times(central.output(), "lost the connection")).toBe(0);
  });
});
