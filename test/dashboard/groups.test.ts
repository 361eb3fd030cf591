import type { MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KioskStore } from "../../src/store/kiosk-store.js";
import type { SyncAgent } from "../../src/sync/agent/sync-agent.js";
import { commandPublicKey, verifiesAs } from "../../src/sync/protocol/command-signature.js";
import type { Command, DesiredConfig } from "../../src/sync/protocol/messages.js";
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

/**
 * Groups against real PostgreSQL and Mosquitto: studios and tags set on the dashboard, the list
 * searched and grouped by them, and a command and a configuration for a group, each kiosk getting
 * its own signed one, with each kiosk's outcome on the results page as answers come back.
 */
const LAKE_1 = "kiosk-lake-01";
const LAKE_2 = "kiosk-lake-02";
const HARBOR = "kiosk-harbor-01";
const NEVER = "kiosk-lake-09";
const KIOSKS = [LAKE_1, LAKE_2, HARBOR];

describe("groups: studio and tags, the list by them, and a group command with a per-kiosk result", () => {
  let fleet: Fleet;
  let client: DashboardClient;
  let impersonator: MqttClient;
  let csrf: string;
  const dir = scratchDir();
  const stores: KioskStore[] = [];
  const agents = new Map<string, SyncAgent>();
  const commands = new Map<string, Command[]>();
  const configs = new Map<string, DesiredConfig[]>();
  const db = () => sqlOf(fleet.database.pool);

  beforeAll(async () => {
    fleet = await startFleet();
    for (const deviceId of KIOSKS) {
      const store = openTestStore(`${dir.path}/${deviceId}`, deviceId);
      stores.push(store);
      const agent = startKioskAgent(store, deviceId, fleet.broker.url);
      agent.on("command", (command) => commands.set(deviceId, [...(commands.get(deviceId) ?? []), command]));
      agent.on("desiredConfig", (config) =>
        configs.set(deviceId, [...(configs.get(deviceId) ?? []), config]),
      );
      agents.set(deviceId, agent);
    }
    impersonator = await mqttClient(fleet.broker.url);
    await until(
      async () => (await db().query("SELECT 1 FROM devices WHERE state = 'online'")).length === KIOSKS.length,
      "three kiosks online",
    );
    client = new DashboardClient(fleet.url);
    await client.signIn();
    csrf = await client.csrf();
  }, 60_000);

  afterAll(async () => {
    await impersonator?.endAsync();
    for (const agent of agents.values()) await agent.stop();
    for (const store of stores) store.close();
    await fleet?.stop();
    dir.remove();
  });

  const place = (deviceId: string, studio: string, tags: string) =>
    client.post(`/kiosks/${deviceId}/placement`, { csrf, studio, tags });

  it("sets a kiosk's studio and tags on its page, audited; refuses bad ones and changes nothing", async () => {
    expect((await place(LAKE_1, "Lakeside Portraits", "Front-Desk, mall")).status).toBe(303);
    expect((await place(LAKE_2, "Lakeside Portraits", "mall")).status).toBe(303);
    expect((await place(HARBOR, "Harbor Studio", "front-desk")).status).toBe(303);
    const page = await client.get(`/kiosks/${LAKE_1}`);
    expect(page.text).toContain('data-test="placement-tag"');
    expect(page.text).toMatch(
      /Studio <a href="\/groups\?studio=Lakeside\+Portraits"><b>Lakeside Portraits<\/b>/,
    );
    const [row] = await db().query<{ studio: string; tags: string[]; set_by: string }>(
      "SELECT studio, tags, set_by FROM kiosk_placements WHERE device_id = $1",
      [LAKE_1],
    );
    expect(row).toEqual({ studio: "Lakeside Portraits", tags: ["front-desk", "mall"], set_by: "ops@studio" });
    const audit = await db().query<{ detail: { studio: string } }>(
      "SELECT detail FROM dashboard_audit WHERE action = 'placement' AND device_id = $1",
      [LAKE_1],
    );
    expect(audit.map((entry) => entry.detail.studio)).toEqual(["Lakeside Portraits"]);

    const bad = await place(LAKE_1, "<script>x</script>", "mall");
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("[DASHBOARD_GROUP_INVALID]");
    expect(bad.text).not.toContain("<script>x");
    const badTag = await place(LAKE_1, "Lakeside Portraits", "ok, drop;table");
    expect(badTag.status).toBe(400);
    const noToken = await client.post(`/kiosks/${LAKE_1}/placement`, { studio: "Elsewhere", tags: "" });
    expect(noToken.status).toBe(403);
    const [after] = await db().query<{ studio: string; tags: string[] }>(
      "SELECT studio, tags FROM kiosk_placements WHERE device_id = $1",
      [LAKE_1],
    );
    expect(after).toEqual({ studio: "Lakeside Portraits", tags: ["front-desk", "mall"] });
  });

  const listed = async (query: string): Promise<string[]> => {
    const page = await client.get(`/${query}`);
    expect(page.status).toBe(200);
    return [...page.text.matchAll(/data-test="kiosk-row" data-kiosk="([^"]+)"/g)].map(
      (match) => match[1] ?? "",
    );
  };

  it("searches, sorts and groups the list by studio and tag from the query", async () => {
    expect(await listed("?q=lakeside")).toEqual([LAKE_1, LAKE_2]);
    expect(await listed("?q=front-desk")).toEqual([HARBOR, LAKE_1]);
    expect(await listed("?sort=studio&dir=desc")).toEqual([LAKE_1, LAKE_2, HARBOR]);
    const grouped = await client.get("/?group=tag");
    const sections = [...grouped.text.matchAll(/data-test="kiosk-group" data-group="([^"]*)"/g)].map(
      (m) => m[1],
    );
    expect(sections).toEqual(["front-desk", "mall"]);
    expect(await listed("?group=tag")).toEqual([HARBOR, LAKE_1, LAKE_1, LAKE_2]);
    const bad = await client.get("/?sort=%3Cscript%3E");
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("[DASHBOARD_FILTER_INVALID]");
    expect(bad.text).not.toContain("<script>");
  });

  it("sends a command to a studio: one signed command per kiosk, and each kiosk's outcome as it answers", async () => {
    // A kiosk placed in the studio at provisioning that never connected, and one that went offline.
    await db().query(
      "INSERT INTO kiosk_placements (device_id, studio, tags, set_by, set_at) VALUES ($1, 'Lakeside Portraits', '{}', 'cli', now())",
      [NEVER],
    );
    await agents.get(LAKE_2)?.stop();
    agents.delete(LAKE_2);
    await until(
      async () =>
        (await db().query("SELECT 1 FROM devices WHERE device_id = $1 AND state = 'offline'", [LAKE_2]))
          .length === 1,
      "the second kiosk offline",
    );
    // The Kiosks page lists the kiosk central is still waiting for, apart from those it has heard from.
    const overview = (await client.get("/")).text;
    const awaited = [...overview.matchAll(/data-test="awaited-kiosk" data-kiosk="([^"]+)"/g)].map(
      (m) => m[1],
    );
    expect(awaited).toEqual([NEVER]);
    expect(overview).toContain("Placed, never connected (1)");

    const confirm = await client.post("/groups/commands", {
      csrf,
      studio: "Lakeside Portraits",
      name: "sync-now",
    });
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain('data-test="confirm-group-command"');
    expect(confirm.text).toContain(`${LAKE_1}, ${LAKE_2}, ${NEVER}`);
    expect(await db().query("SELECT 1 FROM commands")).toHaveLength(0);

    const sent = await client.post("/groups/commands", {
      csrf,
      studio: "Lakeside Portraits",
      name: "sync-now",
      confirm: "yes",
    });
    expect(sent.status).toBe(303);
    const resultsPath = sent.location ?? "";
    expect(resultsPath).toMatch(/^\/groups\/actions\/[0-9a-f-]{36}$/);

    await until(() => (commands.get(LAKE_1) ?? []).length === 1, "the online kiosk's command");
    const command = commands.get(LAKE_1)?.[0] as Command;
    expect(command).toMatchObject({ name: "sync-now", deviceId: LAKE_1, issuedBy: "ops@studio" });
    expect(verifiesAs("command", command, commandPublicKey(fleet.publicKeyPem))).toBe(true);
    expect(commands.get(HARBOR)).toBeUndefined();

    const outcomes = async (): Promise<Record<string, string>> =>
      Object.fromEntries(
        [
          ...(await client.get(resultsPath)).text.matchAll(
            /data-test="part" data-kiosk="([^"]+)" data-outcome="([^"]+)"/g,
          ),
        ].map((match) => [match[1], match[2]]),
      );
    const [offlineRow] = await db().query<{ delivery: string }>(
      "SELECT delivery FROM commands WHERE device_id = $1",
      [LAKE_2],
    );
    // The offline kiosk's command waits for it at central, and its row says so.
    expect(offlineRow?.delivery).toBe("queued");
    const first = await outcomes();
    expect(first).toEqual({ [LAKE_1]: "delivered", [LAKE_2]: "queued", [NEVER]: "refused" });
    const page = await client.get(resultsPath);
    expect(page.text).toContain("[DASHBOARD_KIOSK_UNKNOWN]");
    expect(page.headers.get("refresh")).toBe("3");

    await publishAs(impersonator, "commandResult", LAKE_1, {
      commandId: command.commandId,
      outcome: "completed",
      code: null,
      detail: "synced 0 records",
      data: null,
      at: new Date().toISOString(),
    });
    await until(
      async () => (await outcomes())[LAKE_1] === "completed",
      "the kiosk's answer on the results page",
    );
    // Another kiosk naming that command changes nothing.
    await publishAs(impersonator, "commandResult", HARBOR, {
      commandId: command.commandId,
      outcome: "failed",
      code: "X",
      detail: "forged",
      data: null,
      at: new Date().toISOString(),
    });
    await until(
      async () =>
        (await db().query("SELECT 1 FROM command_results WHERE device_id = $1", [HARBOR])).length === 1,
      "the forged answer stored",
    );
    expect((await outcomes())[LAKE_1]).toBe("completed");
    const audit = await db().query<{ action: string; device_id: string | null }>(
      "SELECT action, device_id FROM dashboard_audit WHERE action IN ('group-action', 'command') ORDER BY action DESC, device_id",
    );
    const auditPage = await client.get("/audit");
    expect(auditPage.text).toContain('data-action="group-action"');
    expect(auditPage.text).toContain('data-action="placement"');
    expect(auditPage.text).toContain(`href="${resultsPath}"`);
    expect(audit).toEqual([
      { action: "group-action", device_id: null },
      { action: "command", device_id: LAKE_1 },
      { action: "command", device_id: LAKE_2 },
    ]);
  });

  it("pushes configuration to a tag over each kiosk's own settings, and shows it applied", async () => {
    // LAKE_1 has a desired configuration of its own: it keeps its other path.
    await fleet.central.db.query(
      `INSERT INTO desired_configs (device_id, version, settings, issued_by, issued_at, delivery)
       VALUES ($1, 1, '{"ui.idleTimeoutSeconds": 90}'::jsonb, 'ops@studio', now(), 'sent')`,
      [LAKE_1],
    );
    const settings = JSON.stringify({ "log.level": "debug" });
    const review = await client.post("/groups/config", { csrf, tag: "front-desk", settings });
    expect(review.status).toBe(200);
    expect(review.text).toContain('data-test="confirm-group-config"');
    const pushed = await client.post("/groups/config", { csrf, tag: "front-desk", settings, confirm: "yes" });
    expect(pushed.status).toBe(303);
    const rows = await db().query<{ device_id: string; version: number; settings: Record<string, unknown> }>(
      "SELECT device_id, version, settings FROM desired_configs ORDER BY device_id, version",
    );
    expect(rows).toEqual([
      { device_id: HARBOR, version: 1, settings: { "log.level": "debug" } },
      { device_id: LAKE_1, version: 1, settings: { "ui.idleTimeoutSeconds": 90 } },
      { device_id: LAKE_1, version: 2, settings: { "ui.idleTimeoutSeconds": 90, "log.level": "debug" } },
    ]);
    await until(
      () => (configs.get(HARBOR) ?? []).some((config) => config.version === 1),
      "the kiosk's configuration",
    );
    const desired = configs.get(HARBOR)?.find((config) => config.version === 1) as DesiredConfig;
    expect(desired.deviceId).toBe(HARBOR);
    expect(verifiesAs("desiredConfig", desired, commandPublicKey(fleet.publicKeyPem))).toBe(true);

    await publishAs(impersonator, "reportedConfig", HARBOR, {
      version: 1,
      settings: { "log.level": "debug" },
      appliedAt: new Date().toISOString(),
      refused: null,
    });
    const path = pushed.location ?? "";
    await until(
      async () => (await client.get(path)).text.includes(`data-kiosk="${HARBOR}" data-outcome="applied"`),
      "applied on the results page",
    );
    expect((await client.get(path)).text).toContain(`data-kiosk="${LAKE_1}" data-outcome="sent"`);
  });

  it("refuses an empty group, an unknown command and a bad group with a coded error, and sends nothing", async () => {
    const before = (await db().query("SELECT 1 FROM commands")).length;
    const empty = await client.post("/groups/commands", {
      csrf,
      tag: "nobody",
      name: "restart",
      confirm: "yes",
    });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain("[DASHBOARD_GROUP_EMPTY]");
    const unknown = await client.post("/groups/commands", {
      csrf,
      tag: "mall",
      name: "format-disk",
      confirm: "yes",
    });
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain("[DASHBOARD_COMMAND_INVALID]");
    const both = await client.post("/groups/commands", {
      csrf,
      tag: "mall",
      studio: "Harbor Studio",
      name: "restart",
    });
    expect(both.status).toBe(400);
    expect(both.text).toContain("[DASHBOARD_GROUP_INVALID]");
    const none = await client.post("/groups/commands", { csrf, name: "restart", confirm: "yes" });
    expect(none.status).toBe(400);
    expect((await db().query("SELECT 1 FROM commands")).length).toBe(before);
    expect((await db().query("SELECT 1 FROM group_actions")).length).toBe(2);
  });
  it("refuses hostile group input with a code and lives on: oversized fields, SQL, markup, unknown ids", async () => {
    const huge = await place(LAKE_1, "L".repeat(10_000), "mall");
    expect(huge.status).toBe(400);
    expect(huge.text).toContain("DASHBOARD_FORM_INVALID");
    const flood = await place(LAKE_1, "Lakeside Portraits", "a,".repeat(499));
    expect(flood.status).toBe(400);
    expect(flood.text).toContain("[DASHBOARD_GROUP_INVALID]");
    const sql = await client.get(`/groups?studio=${encodeURIComponent("x' OR '1'='1")}`);
    expect(sql.status).toBe(400);
    expect(sql.text).toContain("[DASHBOARD_GROUP_INVALID]");
    const markup = await client.get(`/groups?tag=${encodeURIComponent("<img src=x onerror=alert(1)>")}`);
    expect(markup.status).toBe(400);
    expect(markup.text).not.toContain("<img src=x");
    expect((await client.get("/groups/actions/not-an-action")).status).toBe(404);
    const unknownKiosk = await client.post("/kiosks/kiosk-nowhere/placement", {
      csrf,
      studio: "Harbor Studio",
      tags: "",
    });
    expect(unknownKiosk.status).toBe(404);
    expect(await db().query("SELECT 1 FROM kiosk_placements WHERE device_id = 'kiosk-nowhere'")).toHaveLength(
      0,
    );
    expect((await client.get("/healthz")).status).toBe(200);
  });

  it("sends a command to a tag of 40 kiosks, one row each, in a measured time", async () => {
    const bulk = Array.from({ length: 40 }, (_, index) => `kiosk-bulk-${String(index).padStart(2, "0")}`);
    for (const deviceId of bulk) {
      await db().query("INSERT INTO devices (device_id, state, last_seen_at) VALUES ($1, 'online', now())", [
        deviceId,
      ]);
      await db().query(
        "INSERT INTO kiosk_placements (device_id, studio, tags, set_by, set_at) VALUES ($1, 'Bulk Studio', '{bulk}', 'test', now())",
        [deviceId],
      );
    }
    const started = performance.now();
    const sent = await client.post("/groups/commands", {
      csrf,
      tag: "bulk",
      name: "sync-now",
      confirm: "yes",
    });
    const elapsedMs = performance.now() - started;
    expect(sent.status).toBe(303);
    const rows = await db().query<{ delivery: string }>(
      "SELECT c.delivery FROM group_action_kiosks k JOIN commands c ON c.command_id = k.command_id WHERE k.action_id = $1",
      [sent.location?.split("/").pop()],
    );
    expect(rows).toHaveLength(40);
    expect(rows.every((row) => row.delivery === "delivered")).toBe(true);
    console.info(
      `a group command to 40 kiosks: ${Math.round(elapsedMs)} ms from confirm to the results page's address`,
    );
    const page = await client.get(sent.location ?? "");
    expect([...page.text.matchAll(/data-test="part" data-kiosk="kiosk-bulk-/g)]).toHaveLength(40);
  });
});
