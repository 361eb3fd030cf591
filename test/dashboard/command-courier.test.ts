import type { MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CommandCourier } from "../../src/central/dashboard/control/command-courier.js";
import { Downlink } from "../../src/central/dashboard/control/downlink.js";
import { systemClock } from "../../src/core/clock.js";
import { newId } from "../../src/core/ids.js";
import { createMemoryLogger } from "../../src/core/logger.js";
import { decodeMessage } from "../../src/sync/protocol/codec.js";
import { deviceTopic } from "../../src/sync/protocol/topics.js";
import { DashboardClient, type Fleet, mqttClient, publishAs, startFleet } from "../helpers/dashboard.js";
import { until } from "../helpers/wait.js";

const KIOSK = "kiosk-race-01";
const COMMANDS = 12;

/**
 * Several central processes deliver the same queue: the dashboard's own courier and two more, each
 * on its own broker connection, all on the same PostgreSQL database, racing when the kiosk comes
 * back. Every waiting command is published once, in the order it was sent.
 */
describe("waiting commands delivered by several central processes at once (PostgreSQL, Mosquitto)", () => {
  let fleet: Fleet;
  let watcher: MqttClient;
  let kioskSide: MqttClient;
  const couriers: { courier: CommandCourier; downlink: Downlink }[] = [];
  const published: string[] = [];

  beforeAll(async () => {
    fleet = await startFleet();
    watcher = await mqttClient(fleet.broker.url);
    watcher.on("message", (topic, body) => {
      const decoded = decodeMessage(topic, body, { direction: "down", maxBytes: 1 << 20 });
      if (decoded.ok && decoded.value.kind === "command") published.push(decoded.value.payload.commandId);
    });
    await watcher.subscribeAsync(deviceTopic(KIOSK, "down", "commands"), { qos: 1 });
    kioskSide = await mqttClient(fleet.broker.url);
    for (let index = 0; index < 2; index += 1) {
      const downlink = new Downlink({
        endpoint: { url: fleet.broker.url, protocolVersion: 5, keepaliveSeconds: 5 },
        clientId: `test-courier-${index}-${newId().slice(-8)}`,
        backoff: { initialDelayMs: 100, maxDelayMs: 1000 },
        logger: createMemoryLogger(),
      });
      downlink.start();
      couriers.push({
        downlink,
        courier: new CommandCourier({
          db: fleet.central.db,
          downlink,
          clock: systemClock,
          logger: createMemoryLogger(),
        }),
      });
    }
    await until(() => couriers.every(({ downlink }) => downlink.connected), "the couriers on the broker");
  });

  afterAll(async () => {
    for (const { downlink } of couriers) await downlink.stop();
    await kioskSide?.endAsync();
    await watcher?.endAsync();
    await fleet?.stop();
  });

  const stateIs = async (state: string): Promise<boolean> =>
    (
      await fleet.central.db.query("SELECT 1 FROM devices WHERE device_id = $1 AND state = $2", [
        KIOSK,
        state,
      ])
    ).length === 1;

  it("publishes each waiting command once, oldest first, however many processes race for them", async () => {
    await publishAs(kioskSide, "state", KIOSK, {
      state: "offline",
      connectionId: newId(),
      reason: "shutdown",
    });
    await until(() => stateIs("offline"), "the kiosk offline at central");
    const client = new DashboardClient(fleet.url);
    await client.signIn();
    const csrf = await client.csrf();
    const sent: string[] = [];
    for (let index = 0; index < COMMANDS; index += 1) {
      const reply = await client.post(`/kiosks/${KIOSK}/commands`, {
        csrf,
        name: index % 2 === 0 ? "lock" : "unlock",
        confirm: "yes",
      });
      sent.push(reply.location?.replace("/commands/", "") ?? "");
    }
    const queued = await fleet.central.db.query("SELECT 1 FROM commands WHERE delivery = 'queued'");
    expect(queued).toHaveLength(COMMANDS);

    await publishAs(kioskSide, "state", KIOSK, {
      state: "online",
      connectionId: newId(),
      reason: "connected",
    });
    await until(() => stateIs("online"), "the kiosk online at central");
    // Both extra couriers, several passes each, all at once (the dashboard's own runs on its timer).
    await Promise.all(
      couriers.flatMap(({ courier }) => [
        courier.deliverWaiting(),
        courier.deliverWaiting(),
        courier.deliverWaiting(),
      ]),
    );
    await until(
      async () =>
        (await fleet.central.db.query("SELECT 1 FROM commands WHERE delivery = 'delivered'")).length ===
        COMMANDS,
      "every command delivered",
    );
    // The last delivery is recorded after its PUBACK; the watcher has its copy by then or soon after.
    await until(() => published.length >= COMMANDS, "every command on the kiosk's downlink");
    await Promise.all(couriers.map(({ courier }) => courier.deliverWaiting()));
    expect(published).toEqual(sent);
  });

  it("sends a command for a kiosk just back behind the one that waited for it (a lock, then the unlock)", async () => {
    published.length = 0;
    await publishAs(kioskSide, "state", KIOSK, {
      state: "offline",
      connectionId: newId(),
      reason: "shutdown",
    });
    await until(() => stateIs("offline"), "the kiosk offline at central");
    const client = new DashboardClient(fleet.url);
    await client.signIn();
    const csrf = await client.csrf();
    const lock = await client.post(`/kiosks/${KIOSK}/commands`, { csrf, name: "lock", confirm: "yes" });
    await publishAs(kioskSide, "state", KIOSK, {
      state: "online",
      connectionId: newId(),
      reason: "connected",
    });
    await until(() => stateIs("online"), "the kiosk online at central", 30_000, 5);
    // At once, most likely before the courier's next pass has taken the lock.
    const unlock = await client.post(`/kiosks/${KIOSK}/commands`, { csrf, name: "unlock", confirm: "yes" });
    await until(() => published.length >= 2, "both commands on the kiosk's downlink");
    expect(published).toEqual(
      [lock.location, unlock.location].map((path) => path?.replace("/commands/", "")),
    );
  });
});
