import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../src/core/ids.js";
import { decodeMessage } from "../../src/sync/protocol/codec.js";
import type { DesiredConfig } from "../../src/sync/protocol/messages.js";
import { sqlOf } from "../helpers/central-queries.js";
import { DashboardClient, type Fleet, mqttClient, publishAs, startFleet } from "../helpers/dashboard.js";
import { until } from "../helpers/wait.js";

const KIOSK = "kiosk-far-away";

describe("the dashboard while the broker is down (PostgreSQL, Mosquitto)", () => {
  let fleet: Fleet;
  let client: DashboardClient;

  beforeAll(async () => {
    fleet = await startFleet();
    const kiosk = await mqttClient(fleet.broker.url);
    await publishAs(kiosk, "state", KIOSK, { state: "online", connectionId: newId(), reason: "connected" });
    await kiosk.endAsync();
    const db = sqlOf(fleet.database.pool);
    await until(
      async () => (await db.query("SELECT 1 FROM devices WHERE state = 'online'")).length === 1,
      "kiosk online",
    );
    client = new DashboardClient(fleet.url);
    await client.signIn();
  });

  afterAll(async () => {
    await fleet?.stop();
  });

  it("keeps a command the broker did not take queued, and publishes it and a saved configuration once the broker is back", async () => {
    const dashboard = fleet.central.dashboard;
    if (!dashboard) throw new Error("no dashboard");
    await until(() => dashboard.downlink.connected, "the dashboard on the broker");
    await fleet.broker.stop();
    await until(() => !dashboard.downlink.connected, "the dashboard noticing the broker is gone");
    const csrf = await client.csrf();

    const sent = await client.post(`/kiosks/${KIOSK}/commands`, { csrf, name: "sync-now", confirm: "yes" });
    const page = await client.get(sent.location ?? "");
    expect(page.text).toContain('data-test="status" data-value="queued"');
    expect(page.text).toContain("DASHBOARD_BROKER_UNREACHABLE");
    const commandId = sent.location?.replace("/commands/", "") ?? "";

    const pushed = await client.post(`/kiosks/${KIOSK}/config`, {
      csrf,
      settings: JSON.stringify({ "studio.name": "Studio by the sea" }),
      baseVersion: "",
      confirm: "yes",
    });
    expect(pushed.location).toBe(`/kiosks/${KIOSK}?pushed=1#configuration`);
    expect((await client.get(pushed.location ?? "")).text).toContain("the broker did not take it yet");
    const db = sqlOf(fleet.database.pool);
    expect(await db.query("SELECT delivery FROM desired_configs")).toEqual([
      { delivery: "broker-unreachable" },
    ]);

    // The broker comes back empty (no persistence): the dashboard publishes the newest version again.
    await fleet.broker.start();
    await until(
      async () => (await db.query("SELECT 1 FROM desired_configs WHERE delivery = 'sent'")).length === 1,
      "the configuration published on reconnect",
      20_000,
    );
    const late = await mqttClient(fleet.broker.url);
    const retained: DesiredConfig[] = [];
    late.on("message", (topic, body) => {
      const decoded = decodeMessage(topic, body, { direction: "down", maxBytes: 1 << 20 });
      if (decoded.ok && decoded.value.kind === "desiredConfig") retained.push(decoded.value.payload);
    });
    await late.subscribeAsync(`spectra/v1/kiosks/${KIOSK}/down/config/desired`, { qos: 1 });
    await until(() => retained.length === 1, "the retained configuration");
    await late.endAsync();
    expect(retained[0]).toMatchObject({ version: 1, settings: { "studio.name": "Studio by the sea" } });
    // The command too, still within its expiry, to the kiosk central last knew online.
    await until(
      async () => (await db.query("SELECT 1 FROM commands WHERE delivery = 'delivered'")).length === 1,
      "the queued command published on reconnect",
      20_000,
    );
    const [row] = await db.query<{ command_id: string; attempts: number }>(
      "SELECT command_id, attempts FROM commands",
    );
    expect(row?.command_id).toBe(commandId);
    // Once refused while the broker was gone, then taken.
    expect(row?.attempts).toBeGreaterThanOrEqual(2);
  });
});
