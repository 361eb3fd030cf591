import type { MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KioskStore } from "../../src/store/kiosk-store.js";
import type { SyncAgent } from "../../src/sync/agent/sync-agent.js";
import { commandPublicKey, verifiesAs } from "../../src/sync/protocol/command-signature.js";
import type { Command } from "../../src/sync/protocol/messages.js";
import { sqlOf } from "../helpers/central-queries.js";
import {
  DashboardClient,
  type Fleet,
  mqttClient,
  publishAs,
  startFleet,
  startKioskAgent,
} from "../helpers/dashboard.js";
import { openTestStore, scratchDir } from "../helpers/kiosk-store.js";
import { until } from "../helpers/wait.js";

/** A staged rollout from the dashboard's Updates page, against three kiosks' sync agents. */
const KIOSKS = ["kiosk-lake-01", "kiosk-lake-02", "kiosk-lake-03"];
const RELEASE = {
  version: "9.9.0",
  url: "https://releases.lakeside.example/spectra-kiosk-9.9.0-linux-arm64.tar.gz",
  sha256: "a".repeat(64),
};

describe("updates from the dashboard: one signed command per kiosk, in stages, with progress", () => {
  let fleet: Fleet;
  let client: DashboardClient;
  let impersonator: MqttClient;
  let csrf: string;
  const dir = scratchDir();
  const stores: KioskStore[] = [];
  const agents: SyncAgent[] = [];
  const received = new Map<string, Command[]>();

  beforeAll(async () => {
    fleet = await startFleet();
    for (const deviceId of KIOSKS) {
      const store = openTestStore(`${dir.path}/${deviceId}`, deviceId);
      stores.push(store);
      const agent = startKioskAgent(store, deviceId, fleet.broker.url);
      agent.on("command", (command) => received.set(deviceId, [...(received.get(deviceId) ?? []), command]));
      agents.push(agent);
    }
    impersonator = await mqttClient(fleet.broker.url);
    const db = sqlOf(fleet.database.pool);
    await until(
      async () => (await db.query("SELECT 1 FROM devices WHERE state = 'online'")).length === KIOSKS.length,
      "three kiosks online",
    );
    client = new DashboardClient(fleet.url);
    await client.signIn();
    csrf = await client.csrf();
  });

  afterAll(async () => {
    await impersonator?.endAsync();
    for (const agent of agents) await agent.stop();
    for (const store of stores) store.close();
    await fleet?.stop();
    dir.remove();
  });

  const stagesOnPage = async (): Promise<Record<string, string>> => {
    const page = await client.get("/updates");
    return Object.fromEntries(
      [...page.text.matchAll(/data-kiosk="([^"]+)" data-stage="([^"]+)"/g)].map((match) => [
        match[1],
        match[2],
      ]),
    );
  };

  it("sends the first stage to one kiosk only, signed for that kiosk", async () => {
    const page = await client.post("/updates", { csrf, ...RELEASE, kiosks: "kiosk-lake-*", first: "1" });
    expect(page.status).toBe(200);
    expect(page.text).toContain("9.9.0 sent to kiosk-lake-01 (sent)");
    await until(() => (received.get("kiosk-lake-01") ?? []).length === 1, "the first kiosk's command");
    const command = received.get("kiosk-lake-01")?.[0] as Command;
    expect(command).toMatchObject({ name: "update", deviceId: "kiosk-lake-01", args: RELEASE });
    expect(verifiesAs("command", command, commandPublicKey(fleet.publicKeyPem))).toBe(true);
    expect(received.get("kiosk-lake-02")).toBeUndefined();
    expect(await stagesOnPage()).toEqual({
      "kiosk-lake-01": "sent",
      "kiosk-lake-02": "not-asked",
      "kiosk-lake-03": "not-asked",
    });
  });

  it("follows the kiosk: fetched, then updated", async () => {
    const command = received.get("kiosk-lake-01")?.[0] as Command;
    const answer = (outcome: "accepted" | "completed") =>
      publishAs(impersonator, "commandResult", "kiosk-lake-01", {
        commandId: command.commandId,
        outcome,
        code: null,
        detail: null,
        data: { state: outcome === "accepted" ? "downloaded" : "updated", version: "9.9.0" },
        at: new Date().toISOString(),
      });
    await answer("accepted");
    await until(async () => (await stagesOnPage())["kiosk-lake-01"] === "fetched", "fetched on the page");
    await answer("completed");
    await until(async () => (await stagesOnPage())["kiosk-lake-01"] === "updated", "updated on the page");
  });

  it("then sends the rest, skipping the kiosk that has it", async () => {
    const page = await client.post("/updates", { csrf, ...RELEASE, kiosks: "kiosk-lake-*", first: "" });
    expect(page.text).toContain("9.9.0 sent to kiosk-lake-02 (sent), kiosk-lake-03 (sent)");
    await until(() => (received.get("kiosk-lake-03") ?? []).length === 1, "the rest's commands");
    expect(received.get("kiosk-lake-01")).toHaveLength(1);
  });

  it("stops a rollout at a kiosk that rolled back, and refuses bad forms with a coded error", async () => {
    const command = received.get("kiosk-lake-02")?.[0] as Command;
    await publishAs(impersonator, "commandResult", "kiosk-lake-02", {
      commandId: command.commandId,
      outcome: "failed",
      code: "RELEASE_NOT_HEALTHY",
      detail: "[RELEASE_NOT_HEALTHY] not healthy within 90000 ms",
      data: { state: "rolled-back", version: "9.9.0" },
      at: new Date().toISOString(),
    });
    await until(async () => (await stagesOnPage())["kiosk-lake-02"] === "failed", "failed on the page");
    const again = await client.post("/updates", { csrf, ...RELEASE, kiosks: "all", first: "" });
    expect(again.status).toBe(400);
    expect(again.text).toContain("kiosk-lake-02 did not take 9.9.0");
    const bad = await client.post("/updates", {
      csrf,
      ...RELEASE,
      sha256: "not-a-checksum",
      kiosks: "all",
      first: "",
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("[DASHBOARD_COMMAND_INVALID]");
    const db = sqlOf(fleet.database.pool);
    expect(await db.query("SELECT 1 FROM commands WHERE name = 'update'")).toHaveLength(3);
  });
});
