import type { MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateCommandKey } from "../../src/central/dashboard/control/command-key.js";
import { ErrorCodes } from "../../src/core/error-codes.js";
import { newId } from "../../src/core/ids.js";
import type { KioskStore } from "../../src/store/kiosk-store.js";
import type { SyncAgent } from "../../src/sync/agent/sync-agent.js";
import { decodeMessage } from "../../src/sync/protocol/codec.js";
import {
  commandPublicKey,
  hasValidSignature,
  verifiesAs,
} from "../../src/sync/protocol/command-signature.js";
import type { Command, DesiredConfig } from "../../src/sync/protocol/messages.js";
import { downlinkFilter } from "../../src/sync/protocol/topics.js";
import { sqlOf } from "../helpers/central-queries.js";
import {
  DashboardClient,
  type Fleet,
  mqttClient,
  OPERATOR,
  publishAs,
  startFleet,
  startKioskAgent,
} from "../helpers/dashboard.js";
import { openTestStore, scratchDir } from "../helpers/kiosk-store.js";
import { until } from "../helpers/wait.js";

const KIOSK = "kiosk-cmd-01";
const down = { direction: "down", maxBytes: 1 << 20 } as const;

describe("commands and desired configuration from the dashboard (PostgreSQL, Mosquitto)", () => {
  let fleet: Fleet;
  let store: KioskStore;
  let agent: SyncAgent;
  let watcher: MqttClient;
  let client: DashboardClient;
  let csrf: string;
  const dir = scratchDir();
  /** Everything published on the kiosk's downlink, as the kiosk would read it. */
  const downlink: { topic: string; retain: boolean; qos: number; body: Buffer }[] = [];
  const commandsAtKiosk: Command[] = [];

  beforeAll(async () => {
    fleet = await startFleet();
    store = openTestStore(dir.path, KIOSK);
    agent = startKioskAgent(store, KIOSK, fleet.broker.url);
    agent.on("command", (command) => commandsAtKiosk.push(command));
    watcher = await mqttClient(fleet.broker.url);
    watcher.on("message", (topic, body, packet) =>
      downlink.push({ topic, body, retain: packet.retain, qos: packet.qos }),
    );
    await watcher.subscribeAsync(downlinkFilter(KIOSK), { qos: 1 });
    const db = sqlOf(fleet.database.pool);
    await until(
      async () =>
        (await db.query("SELECT 1 FROM devices WHERE device_id = $1 AND state = 'online'", [KIOSK]))
          .length === 1,
      "kiosk online",
    );
    client = new DashboardClient(fleet.url);
    await client.signIn();
    csrf = await client.csrf();
  });

  afterAll(async () => {
    await watcher?.endAsync();
    await agent?.stop();
    store?.close();
    await fleet?.stop();
    dir.remove();
  });

  const db = () => sqlOf(fleet.database.pool);
  const commandPath = `/kiosks/${KIOSK}/commands`;

  it("asks for confirmation first: nothing is signed or sent before it", async () => {
    const review = await client.post(commandPath, { csrf, name: "lock", reason: "cleaning the screen" });
    expect(review.status).toBe(200);
    expect(review.text).toContain('data-test="confirm-command"');
    expect(review.text).toContain("cleaning the screen");
    expect(await db().query("SELECT 1 FROM commands")).toHaveLength(0);
    expect(downlink.filter((message) => message.topic.endsWith("/commands"))).toHaveLength(0);
  });

  it("signs a confirmed lock with central's key and publishes it to the kiosk's downlink at QoS 1", async () => {
    const sent = await client.post(commandPath, {
      csrf,
      name: "lock",
      reason: "cleaning the screen",
      confirm: "yes",
    });
    expect(sent.status).toBe(303);
    const commandId = sent.location?.replace("/commands/", "") ?? "";
    await until(
      () => commandsAtKiosk.some((command) => command.commandId === commandId),
      "the lock at the kiosk",
    );
    const command = commandsAtKiosk.find((c) => c.commandId === commandId) as Command;
    expect(command).toMatchObject({
      deviceId: KIOSK,
      name: "lock",
      args: { reason: "cleaning the screen" },
      issuedBy: OPERATOR.name,
    });
    expect(commandId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/); // UUIDv7
    expect(Date.parse(command.expiresAt) - Date.parse(command.issuedAt)).toBe(300_000);
    expect(hasValidSignature(command, commandPublicKey(fleet.publicKeyPem))).toBe(true);
    expect(hasValidSignature({ ...command, name: "unlock" }, commandPublicKey(fleet.publicKeyPem))).toBe(
      false,
    );
    // The target is signed too: the same command put on another kiosk's downlink does not verify for it.
    expect(
      hasValidSignature({ ...command, deviceId: "kiosk-other" }, commandPublicKey(fleet.publicKeyPem)),
    ).toBe(false);

    const wire = downlink.find((message) => message.topic.endsWith("/commands"));
    expect(wire).toMatchObject({ qos: 1, retain: false, topic: `spectra/v1/kiosks/${KIOSK}/down/commands` });
    const decoded = decodeMessage(wire?.topic ?? "", wire?.body ?? Buffer.alloc(0), down);
    expect(decoded.ok && decoded.value.kind).toBe("command");

    const [row] = await db().query<{ delivery: string }>(
      "SELECT delivery FROM commands WHERE command_id = $1",
      [commandId],
    );
    expect(row?.delivery).toBe("delivered");
    const audit = await db().query(
      "SELECT user_name, action, device_id, command_id, detail FROM dashboard_audit WHERE command_id = $1",
      [commandId],
    );
    expect(audit).toEqual([
      {
        user_name: OPERATOR.name,
        action: "command",
        device_id: KIOSK,
        command_id: commandId,
        detail: { name: "lock", args: { reason: "cleaning the screen" }, expiresAt: command.expiresAt },
      },
    ]);
    const page = await client.get(`/commands/${commandId}`);
    expect(page.text).toContain('data-test="status" data-value="delivered"');
    expect(page.headers.get("refresh")).toBe("2");
  });

  it("shows what the kiosk answers, with diagnostics data; another kiosk's answer is ignored", async () => {
    const sent = await client.post(commandPath, { csrf, name: "send-diagnostics", confirm: "yes" });
    const commandId = sent.location?.replace("/commands/", "") ?? "";
    await until(
      () => commandsAtKiosk.some((command) => command.commandId === commandId),
      "diagnostics command at the kiosk",
    );
    const kiosk = await mqttClient(fleet.broker.url);
    const at = () => new Date().toISOString();
    await publishAs(kiosk, "commandResult", "kiosk-impostor", {
      commandId,
      outcome: "failed",
      code: "X",
      detail: "not me",
      data: null,
      at: at(),
    });
    await publishAs(kiosk, "commandResult", KIOSK, {
      commandId,
      outcome: "accepted",
      code: null,
      detail: null,
      data: null,
      at: at(),
    });
    await publishAs(kiosk, "commandResult", KIOSK, {
      commandId,
      outcome: "completed",
      code: null,
      detail: "diagnostics attached",
      data: { versions: { software: "9.8.7", node: "v20" }, lastErrors: ["<b>STORE_BUSY</b>"] },
      at: at(),
    });
    await kiosk.endAsync();
    await until(
      async () =>
        (await db().query("SELECT 1 FROM command_results WHERE command_id = $1", [commandId])).length === 3,
      "results stored",
    );
    const page = await client.get(`/commands/${commandId}`);
    expect(page.text.match(/data-test="result" /g)).toHaveLength(2);
    expect(page.text).toContain('data-outcome="completed"');
    expect(page.text).not.toContain("not me");
    expect(page.text).toContain("&lt;b&gt;STORE_BUSY&lt;/b&gt;");
    expect(page.text).toContain("&quot;software&quot;: &quot;9.8.7&quot;");
    expect(page.headers.get("refresh")).toBeNull();
    const kioskPage = await client.get(`/kiosks/${KIOSK}`);
    expect(kioskPage.text).toContain(`data-command="${commandId}" data-name="send-diagnostics"`);
  });

  it("refuses bad arguments and unknown commands with a coded error, signing nothing", async () => {
    const before = (await db().query("SELECT 1 FROM commands")).length;
    const badLevel = await client.post(commandPath, {
      csrf,
      name: "set-log-level",
      level: "loud",
      confirm: "yes",
    });
    expect(badLevel.status).toBe(400);
    expect(badLevel.text).toContain(ErrorCodes.DASHBOARD_COMMAND_INVALID);
    const extra = await client.post(commandPath, { csrf, name: "unlock", sneaky: "1", confirm: "yes" });
    expect(extra.status).toBe(400);
    expect(extra.text).toContain("sneaky: unknown key");
    const unknown = await client.post(commandPath, { csrf, name: "self-destruct", confirm: "yes" });
    expect(unknown.status).toBe(400);
    const nowhere = await client.post("/kiosks/kiosk-nowhere/commands", {
      csrf,
      name: "lock",
      confirm: "yes",
    });
    expect(nowhere.status).toBe(404);
    expect(nowhere.text).toContain(ErrorCodes.DASHBOARD_KIOSK_UNKNOWN);
    expect(await db().query("SELECT 1 FROM commands")).toHaveLength(before);
  });

  it("validates a desired configuration on the server, listing every problem, and keeps what was typed", async () => {
    const configPath = `/kiosks/${KIOSK}/config`;
    const notJson = await client.post(configPath, { csrf, settings: "{ log.level: debug", baseVersion: "" });
    expect(notJson.status).toBe(400);
    expect(notJson.text).toContain(ErrorCodes.DASHBOARD_CONFIG_INVALID);
    expect(notJson.text).toContain("{ log.level: debug</textarea>");
    const invalid = await client.post(configPath, {
      csrf,
      baseVersion: "",
      settings: JSON.stringify({ "log.level": "loud", deviceId: "other", "limits.maxAmountMinor": -1 }),
    });
    expect(invalid.status).toBe(400);
    expect(invalid.text).toContain("log.level: Invalid option");
    expect(invalid.text).toContain("deviceId: not a setting central may change");
    expect(invalid.text).toContain("limits.maxAmountMinor: Too small");
    const unknownPath = await client.post(configPath, {
      csrf,
      baseVersion: "",
      settings: JSON.stringify({ "limits.maximum": 5, "sync.broker.url": "mqtt://elsewhere" }),
    });
    expect(unknownPath.status).toBe(400);
    expect(unknownPath.text).toContain("limits.maximum: not a setting of the kiosk&#39;s configuration");
    expect(unknownPath.text).toContain("sync.broker.url: not a setting central may change");
    expect(await db().query("SELECT 1 FROM desired_configs")).toHaveLength(0);
  });

  it("pushes a confirmed configuration as the next version, retained, so a kiosk connecting later gets it", async () => {
    const configPath = `/kiosks/${KIOSK}/config`;
    const settings = JSON.stringify({ "log.level": "debug", "ui.idleTimeoutSeconds": 90 });
    const review = await client.post(configPath, { csrf, settings, baseVersion: "" });
    expect(review.status).toBe(200);
    expect(review.text).toContain("Push configuration v1");
    expect(await db().query("SELECT 1 FROM desired_configs")).toHaveLength(0);
    const pushed = await client.post(configPath, { csrf, settings, baseVersion: "", confirm: "yes" });
    expect(pushed.status).toBe(303);
    expect(pushed.location).toBe(`/kiosks/${KIOSK}?pushed=1#configuration`);
    expect((await client.get(pushed.location ?? "")).text).toContain("Configuration v1 pushed");

    // A client subscribing now — a kiosk coming online — receives it from the broker's retained store.
    const late = await mqttClient(fleet.broker.url);
    const retained: DesiredConfig[] = [];
    late.on("message", (topic, body, packet) => {
      const decoded = decodeMessage(topic, body, down);
      if (packet.retain && decoded.ok && decoded.value.kind === "desiredConfig")
        retained.push(decoded.value.payload);
    });
    await late.subscribeAsync(`spectra/v1/kiosks/${KIOSK}/down/config/desired`, { qos: 1 });
    await until(() => retained.length === 1, "the retained desired configuration");
    await late.endAsync();
    expect(retained[0]).toMatchObject({
      deviceId: KIOSK,
      version: 1,
      settings: { "log.level": "debug", "ui.idleTimeoutSeconds": 90 },
      issuedBy: OPERATOR.name,
    });
    // Signed by central for this kiosk and version, valid for central.dashboard.desiredConfigTtlDays.
    const signedConfig = retained[0] as DesiredConfig;
    expect(verifiesAs("desiredConfig", signedConfig, commandPublicKey(fleet.publicKeyPem))).toBe(true);
    expect(Date.parse(signedConfig.expiresAt) - Date.parse(signedConfig.issuedAt)).toBe(30 * 86_400_000);

    // An editor still on "no version yet" cannot overwrite v1 unseen.
    const stale = await client.post(configPath, { csrf, settings: "{}", baseVersion: "", confirm: "yes" });
    expect(stale.status).toBe(400);
    expect(stale.text).toContain("Version 1 was pushed by ops@studio while you edited");
    const second = await client.post(configPath, {
      csrf,
      settings: JSON.stringify({ "log.level": "warn" }),
      baseVersion: "1",
      confirm: "yes",
    });
    expect(second.location).toBe(`/kiosks/${KIOSK}?pushed=2#configuration`);
    const audit = await db().query<{ detail: { version: number } }>(
      "SELECT detail FROM dashboard_audit WHERE action = 'desired-config' ORDER BY id",
    );
    expect(audit.map((row) => row.detail.version)).toEqual([1, 2]);
  });

  it("shows the configuration the kiosk reports: the version it runs, or the problems of one it refused", async () => {
    const kiosk = await mqttClient(fleet.broker.url);
    await publishAs(kiosk, "reportedConfig", KIOSK, {
      version: 1,
      settings: { "log.level": "debug" },
      appliedAt: new Date().toISOString(),
      refused: { version: 2, problems: ["log.level: the kiosk says no <script>"] },
    });
    await kiosk.endAsync();
    await until(
      async () => (await client.get(`/kiosks/${KIOSK}`)).text.includes('data-test="config-refused"'),
      "reported configuration shown",
    );
    const page = await client.get(`/kiosks/${KIOSK}`);
    expect(page.text).toContain('data-test="reported-config" data-version="1"');
    expect(page.text).toContain("The kiosk refused v2");
    expect(page.text).toContain("the kiosk says no &lt;script&gt;");
  });

  it("queues a command to an offline kiosk instead of sending it, says so, and still audits it", async () => {
    await agent.stop();
    await until(
      async () =>
        (await db().query("SELECT 1 FROM devices WHERE device_id = $1 AND state = 'offline'", [KIOSK]))
          .length === 1,
      "kiosk offline",
    );
    const before = commandsAtKiosk.length;
    const onWire = downlink.filter((message) => message.topic.endsWith("/commands")).length;
    const review = await client.post(commandPath, { csrf, name: "unlock" });
    expect(review.text).toContain("the command will wait and be delivered when the kiosk is back");
    const sent = await client.post(commandPath, { csrf, name: "unlock", confirm: "yes" });
    const commandId = sent.location?.replace("/commands/", "") ?? "";
    const page = await client.get(sent.location ?? "");
    expect(page.text).toContain('data-test="status" data-value="queued"');
    expect(page.text).toContain(ErrorCodes.DASHBOARD_KIOSK_OFFLINE);
    const [row] = await db().query<{ delivery: string }>(
      "SELECT delivery FROM commands WHERE command_id = $1",
      [commandId],
    );
    expect(row?.delivery).toBe("queued");
    expect(await db().query("SELECT 1 FROM dashboard_audit WHERE command_id = $1", [commandId])).toHaveLength(
      1,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(downlink.filter((message) => message.topic.endsWith("/commands"))).toHaveLength(onWire);
    expect(commandsAtKiosk).toHaveLength(before);
    const audit = await client.get("/audit");
    expect(audit.text).toContain(`data-action="command" data-command="${commandId}"`);
    expect(audit.text).toContain('data-value="queued"');
  });

  it("sends no command when central has no key, and says why", async () => {
    // A fleet of its own whose key file does not exist yet.
    const keyless = await startFleet({ commandKeyFile: `${fleet.dir}/missing-key.pem` });
    try {
      const kiosk = await mqttClient(keyless.broker.url);
      await publishAs(kiosk, "state", "kiosk-keyless", {
        state: "online",
        connectionId: newId(),
        reason: "connected",
      });
      await kiosk.endAsync();
      const db2 = sqlOf(keyless.database.pool);
      await until(
        async () => (await db2.query("SELECT 1 FROM devices WHERE state = 'online'")).length === 1,
        "keyless kiosk online",
      );
      const other = new DashboardClient(keyless.url);
      await other.signIn();
      const page = await other.get("/kiosks/kiosk-keyless");
      expect(page.text).toContain('data-test="commands-unavailable"');
      expect(page.text).toContain(ErrorCodes.DASHBOARD_KEY_UNREADABLE);
      const refused = await other.post("/kiosks/kiosk-keyless/commands", {
        csrf: await other.csrf(),
        name: "lock",
        confirm: "yes",
      });
      expect(refused.status).toBe(400);
      expect(await db2.query("SELECT 1 FROM commands")).toHaveLength(0);
      // Nor a desired configuration: one that could not be signed is never recorded or published.
      const unsignedConfig = await other.post("/kiosks/kiosk-keyless/config", {
        csrf: await other.csrf(),
        settings: JSON.stringify({ "log.level": "debug" }),
        baseVersion: "",
        confirm: "yes",
      });
      expect(unsignedConfig.status).toBe(400);
      expect(unsignedConfig.text).toContain(ErrorCodes.DASHBOARD_KEY_UNREADABLE);
      expect(await db2.query("SELECT 1 FROM desired_configs")).toHaveLength(0);
      // A key generated while the dashboard runs is used without a restart.
      generateCommandKey(`${fleet.dir}/missing-key.pem`, { force: false });
      expect((await other.get("/kiosks/kiosk-keyless")).text).not.toContain(
        'data-test="commands-unavailable"',
      );
      const sent = await other.post("/kiosks/kiosk-keyless/commands", {
        csrf: await other.csrf(),
        name: "sync-now",
        confirm: "yes",
      });
      expect(sent.status).toBe(303);
      expect(await db2.query("SELECT delivery FROM commands")).toEqual([{ delivery: "delivered" }]);
    } finally {
      await keyless.stop();
    }
  });
});
