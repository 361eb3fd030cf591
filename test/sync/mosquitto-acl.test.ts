import { connectAsync, type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../src/core/ids.js";
import { encodeMessage } from "../../src/sync/protocol/codec.js";
import { downlinkFilter, uplinkFilter } from "../../src/sync/protocol/topics.js";
import { connectAs, type ShippedMosquitto, startShippedMosquitto } from "../helpers/shipped-mosquitto.js";
import { until } from "../helpers/wait.js";

const CENTRAL = "central-secret";
const KIOSKS = { "kiosk-a": "secret-a", "kiosk-b": "secret-b" } as const;

/**
 * The shipped configuration does its job: the accounts an operator sets up let each kiosk and
 * central do everything the protocol needs. What it refuses is in test/security/broker-identity.
 */
describe("the shipped Mosquitto configuration and accounts", () => {
  let broker: ShippedMosquitto;
  const clients: MqttClient[] = [];
  const connect = async (user: string, password: string, options = {}): Promise<MqttClient> => {
    const client = await connectAs(broker.url, user, password, options);
    clients.push(client);
    return client;
  };
  const central = () => connect("spectra-central", CENTRAL);
  const kiosk = (id: keyof typeof KIOSKS) => connect(id, KIOSKS[id], { clientId: id });

  /** Topics of what `client` receives; `bodies` gets the payloads. */
  const received = (client: MqttClient, bodies: string[] = []): string[] => {
    const topics: string[] = [];
    client.on("message", (topic, payload) => {
      topics.push(topic);
      bodies.push(payload.toString());
    });
    return topics;
  };

  beforeAll(async () => {
    broker = await startShippedMosquitto({ centralPassword: CENTRAL, kiosks: KIOSKS, tls: true });
  });

  afterAll(async () => {
    for (const client of clients) await client.endAsync(true);
    await broker?.dispose();
  });

  it("refuses anonymous users and wrong passwords", async () => {
    await expect(connectAsync(broker.url, { protocolVersion: 5, reconnectPeriod: 0 })).rejects.toThrow();
    await expect(connectAs(broker.url, "kiosk-a", "wrong", { clientId: "kiosk-a" })).rejects.toThrow();
    await expect(connectAs(broker.url, "spectra-central", "wrong")).rejects.toThrow();
    // One kiosk's password is not another's.
    await expect(
      connectAs(broker.url, "kiosk-a", KIOSKS["kiosk-b"], { clientId: "kiosk-a" }),
    ).rejects.toThrow();
  });

  it("carries a kiosk's uplink to central, and central's downlink to that kiosk, retained ones too", async () => {
    const ingest = await central();
    const atCentral = received(ingest);
    await ingest.subscribeAsync(uplinkFilter("ingest"), { qos: 1 });
    const kioskA = await kiosk("kiosk-a");
    const own = encodeMessage("telemetry", "kiosk-a", telemetry(), meta());
    await kioskA.publishAsync(own.topic, own.body, { qos: 1 });
    await until(() => atCentral.includes(own.topic), "kiosk-a's telemetry at central");

    const dashboard = await central();
    const nudge = encodeMessage("catalogChanged", "kiosk-a", { cursor: 1 }, meta());
    await dashboard.publishAsync(nudge.topic, nudge.body, { qos: 1, retain: true });
    const atKiosk = received(kioskA);
    const [granted] = await kioskA.subscribeAsync(downlinkFilter("kiosk-a"), { qos: 1 });
    expect(granted?.qos).toBe(1);
    await until(() => atKiosk.includes(nudge.topic), "the retained message at kiosk-a");
  });

  it("lets central's connections share one account, each with its own client id, splitting a $share group", async () => {
    const workers = [await central(), await central(), await central()];
    const seen = workers.map((worker) => received(worker));
    for (const worker of workers) {
      const [granted] = await worker.subscribeAsync(uplinkFilter("workers"), { qos: 1 });
      expect(granted?.qos).toBe(1);
    }
    const kioskB = await kiosk("kiosk-b");
    for (let i = 0; i < 30; i++) {
      const message = encodeMessage("telemetry", "kiosk-b", telemetry(), meta());
      await kioskB.publishAsync(message.topic, message.body, { qos: 1 });
    }
    await until(() => seen.flat().length === 30, "30 messages across the group");
    // Shared, not copied: each went to one worker, and every worker got some.
    expect(seen.every((topics) => topics.length > 0)).toBe(true);
    expect(workers.every((worker) => worker.connected)).toBe(true);
  });

  it("serves kiosks over the example TLS listener with the same accounts", async () => {
    const ingest = await central();
    const seen = received(ingest);
    await ingest.subscribeAsync(uplinkFilter(null), { qos: 1 });
    const tls = { ca: broker.ca() };
    const overTls = await connectAs(broker.tlsUrl as string, "kiosk-a", KIOSKS["kiosk-a"], tls);
    clients.push(overTls);
    const own = encodeMessage("telemetry", "kiosk-a", telemetry(), meta());
    await overTls.publishAsync(own.topic, own.body, { qos: 1 });
    await until(() => seen.includes(own.topic), "telemetry sent over TLS");
    await expect(connectAs(broker.tlsUrl as string, "kiosk-a", "wrong", tls)).rejects.toThrow();
  });
});

function meta() {
  return { messageId: newId(), sentAt: new Date().toISOString() };
}

function telemetry() {
  return {
    softwareVersion: "test",
    uptimeSeconds: 1,
    outbox: { depth: 0, oldestUnsyncedAgeSeconds: null },
    drivers: {},
    disk: { freeBytes: null },
    lastSyncAt: null,
  };
}
