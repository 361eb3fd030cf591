import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PrivateMosquitto, startMosquitto } from "../../../test/helpers/mosquitto.js";
import { until } from "../../../test/helpers/wait.js";
import { createMemoryLogger } from "../../core/logger.js";
import { MqttConnection, type Session } from "./mqtt-connection.js";

/** mqtt-packet's table of 2-byte numbers, as mqtt.js would fill it (65,536 Buffers, ~6 MB of heap). */
const numberTable = createRequire(createRequire(import.meta.url).resolve("mqtt"))("mqtt-packet/numbers.js")
  .cache as Record<number, Buffer>;

describe("MqttConnection", () => {
  let broker: PrivateMosquitto;
  beforeAll(async () => {
    broker = await startMosquitto();
  });
  afterAll(async () => {
    await broker?.dispose();
  });

  it("publishes and hears its own message without building mqtt-packet's number table", async () => {
    const heard: string[] = [];
    let session: Session | null = null;
    const connection = new MqttConnection({
      endpoint: { url: broker.url, protocolVersion: 5, keepaliveSeconds: 30 },
      clientId: "connection-test",
      clean: true,
      backoff: { initialDelayMs: 100, maxDelayMs: 1000 },
      logger: createMemoryLogger(),
      onConnected: (established) => {
        session = established;
      },
      onDisconnected: () => {},
      onMessage: (_topic, payload) => heard.push(payload.toString()),
    });
    connection.start();
    try {
      await until(() => session !== null, "the connection");
      const client = (session as Session | null)?.client;
      await client?.subscribeAsync("test/numbers", { qos: 1 });
      // QoS 1 packets carry 2-byte message ids: the writes the table would serve.
      for (let index = 0; index < 5; index += 1)
        await client?.publishAsync("test/numbers", `m${index}`, { qos: 1 });
      await until(() => heard.length === 5, "five messages heard");
      expect(heard).toEqual(["m0", "m1", "m2", "m3", "m4"]);
      expect(Object.keys(numberTable)).toHaveLength(0);
    } finally {
      await connection.stop();
    }
  });
});
