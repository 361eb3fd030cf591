import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { connectAsync, type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../src/core/ids.js";
import { encodeMessage } from "../../src/sync/protocol/codec.js";
import { downlinkFilter, uplinkFilter } from "../../src/sync/protocol/topics.js";
import { type PrivateMosquitto, startMosquitto } from "../helpers/mosquitto.js";
import { until } from "../helpers/wait.js";

const SHIPPED = fileURLToPath(new URL("../../config/mosquitto/", import.meta.url));
const ACCOUNTS = {
  "kiosk-a": "secret-a",
  "kiosk-b": "secret-b",
  "spectra-central": "secret-central",
} as const;
type Account = keyof typeof ACCOUNTS;

/** The shipped mosquitto.conf, with this test's listener and password file instead of /etc's. */
function shippedSettings(dir: string): string[] {
  const lines = readFileSync(join(SHIPPED, "mosquitto.conf"), "utf8")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"))
    .filter((line) => !/^(listener|persistence|persistence_location|password_file|acl_file)\b/.test(line));
  return [...lines, `password_file ${join(dir, "passwd")}`, `acl_file ${join(SHIPPED, "spectra.acl")}`];
}

/** The shipped TLS listener example on a free port, with a certificate made for this test. */
function tlsSettings(dir: string, port: number): string[] {
  const ssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "ignore" });
  ssl(
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "1",
    "-subj",
    "/CN=Test CA",
    "-keyout",
    "ca.key",
    "-out",
    "ca.crt",
  );
  ssl(
    "req",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-subj",
    "/CN=127.0.0.1",
    "-keyout",
    "broker.key",
    "-out",
    "broker.csr",
  );
  writeFileSync(join(dir, "san.ext"), "subjectAltName=IP:127.0.0.1\n");
  ssl(
    "x509",
    "-req",
    "-in",
    "broker.csr",
    "-CA",
    "ca.crt",
    "-CAkey",
    "ca.key",
    "-CAcreateserial",
    "-days",
    "1",
    "-extfile",
    "san.ext",
    "-out",
    "broker.crt",
  );
  return readFileSync(join(SHIPPED, "tls-listener.conf"), "utf8")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) =>
      line
        .replace(/^listener 8883$/, `listener ${port} 127.0.0.1`)
        .replace("/etc/mosquitto/certs/", `${dir}/`),
    );
}

describe("the shipped Mosquitto configuration and ACL", () => {
  let broker: PrivateMosquitto & { extraPorts: number[] };
  const clients: MqttClient[] = [];

  const connectAs = async (user: Account, password: string = ACCOUNTS[user]): Promise<MqttClient> => {
    const client = await connectAsync(broker.url, {
      protocolVersion: 5,
      clientId: `${user}-${newId().slice(-6)}`,
      username: user,
      password,
      reconnectPeriod: 0,
    });
    clients.push(client);
    return client;
  };

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
    broker = await startMosquitto({
      anonymous: false,
      extraPorts: 1,
      settingsWithPorts: (dir, [tlsPort]) => {
        for (const [user, password] of Object.entries(ACCOUNTS)) {
          execFileSync("mosquitto_passwd", [
            ...(user === "kiosk-a" ? ["-c"] : []),
            "-b",
            join(dir, "passwd"),
            user,
            password,
          ]);
        }
        return [...shippedSettings(dir), ...tlsSettings(dir, tlsPort as number)];
      },
    });
  });

  afterAll(async () => {
    for (const client of clients) await client.endAsync(true);
    await broker?.dispose();
  });

  it("refuses anonymous users and wrong passwords", async () => {
    await expect(connectAsync(broker.url, { protocolVersion: 5, reconnectPeriod: 0 })).rejects.toThrow();
    await expect(connectAs("kiosk-a", "wrong")).rejects.toThrow();
  });

  it("lets a kiosk publish only under its own id", async () => {
    const central = await connectAs("spectra-central");
    const seen = received(central);
    await central.subscribeAsync(uplinkFilter("ingest"), { qos: 1 });
    const kioskA = await connectAs("kiosk-a");

    const forged = encodeMessage("telemetry", "kiosk-b", telemetry(), meta());
    const forgedReply = await kioskA.publishAsync(forged.topic, forged.body, { qos: 1 }).then(
      (packet) => (packet as { reasonCode?: number } | undefined)?.reasonCode ?? 0,
      () => 135,
    );
    expect(forgedReply).toBe(135); // MQTT 5 "not authorized"
    const forgedDown = encodeMessage("catalogChanged", "kiosk-a", { cursor: 99 }, meta());
    await kioskA.publishAsync(forgedDown.topic, forgedDown.body, { qos: 1 }).catch(() => undefined);
    const own = encodeMessage("telemetry", "kiosk-a", telemetry(), meta());
    await kioskA.publishAsync(own.topic, own.body, { qos: 1 });

    // Messages from one client arrive in order: once its own is in, the forged ones would have been too.
    await until(() => seen.includes(own.topic), "kiosk-a's own telemetry at central");
    expect(seen).toEqual([own.topic]);
  });

  it("lets a kiosk read only its own downlink", async () => {
    const kioskA = await connectAs("kiosk-a");
    const kioskB = await connectAs("kiosk-b");
    const bodiesToA: string[] = [];
    const seenByA = received(kioskA, bodiesToA);
    const seenByB = received(kioskB);
    // Mosquitto grants any subscription and filters each message by the ACL on delivery.
    await kioskA.subscribeAsync(
      [downlinkFilter("kiosk-b"), "spectra/v1/kiosks/+/down/#", "spectra/v1/#", downlinkFilter("kiosk-a")],
      { qos: 1 },
    );
    await kioskB.subscribeAsync(downlinkFilter("kiosk-b"), { qos: 1 });

    const central = await connectAs("spectra-central");
    const toB = encodeMessage("catalogChanged", "kiosk-b", { cursor: 1 }, meta());
    const toA = encodeMessage("catalogChanged", "kiosk-a", { cursor: 2 }, meta());
    await central.publishAsync(toB.topic, toB.body, { qos: 1 });
    await central.publishAsync(toA.topic, toA.body, { qos: 1 });

    await until(() => seenByA.includes(toA.topic) && seenByB.includes(toB.topic), "each kiosk's own message");
    expect(seenByA.every((topic) => topic === toA.topic)).toBe(true);
    expect(seenByB).toEqual([toB.topic]);
    // Nor does it read another kiosk's uplink.
    const fromB = encodeMessage("telemetry", "kiosk-b", telemetry(), meta());
    await kioskB.publishAsync(fromB.topic, fromB.body, { qos: 1 });
    const again = encodeMessage("catalogChanged", "kiosk-a", { cursor: 3 }, meta());
    await central.publishAsync(again.topic, again.body, { qos: 1 });
    await until(() => bodiesToA.includes(again.body), "the second message to kiosk-a");
    expect(seenByA.every((topic) => topic === toA.topic)).toBe(true);
  });

  it("serves kiosks over the example TLS listener with the same accounts", async () => {
    const [tlsPort] = broker.extraPorts;
    const central = await connectAs("spectra-central");
    const seen = received(central);
    await central.subscribeAsync(uplinkFilter(null), { qos: 1 });
    const overTls = await connectAsync(`mqtts://127.0.0.1:${tlsPort}`, {
      protocolVersion: 5,
      username: "kiosk-a",
      password: ACCOUNTS["kiosk-a"],
      ca: readFileSync(join(broker.dir, "ca.crt")),
      reconnectPeriod: 0,
    });
    clients.push(overTls);
    const own = encodeMessage("telemetry", "kiosk-a", telemetry(), meta());
    await overTls.publishAsync(own.topic, own.body, { qos: 1 });
    await until(() => seen.includes(own.topic), "telemetry sent over TLS");
    await expect(
      connectAsync(`mqtts://127.0.0.1:${tlsPort}`, {
        protocolVersion: 5,
        username: "kiosk-a",
        password: "wrong",
        ca: readFileSync(join(broker.dir, "ca.crt")),
        reconnectPeriod: 0,
      }),
    ).rejects.toThrow();
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
