import { join } from "node:path";
import type { MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Clock } from "../../src/core/clock.js";
import { systemClock } from "../../src/core/clock.js";
import { ErrorCodes } from "../../src/core/error-codes.js";
import { createMemoryLogger } from "../../src/core/logger.js";
import { openKioskStore } from "../../src/store/kiosk-store.js";
import { decodeMessage } from "../../src/sync/protocol/codec.js";
import { deviceTopic } from "../../src/sync/protocol/topics.js";
import { sqlOf } from "../helpers/central-queries.js";
import { type CliProcess, spawnCli } from "../helpers/cli-process.js";
import { DashboardClient, type Fleet, mqttClient, OPERATOR, startFleet } from "../helpers/dashboard.js";
import { launchChromium, screenshot, screenshotOf } from "../helpers/dashboard-browser.js";
import { externalBroker, writeTestConfig } from "../helpers/kiosk-config.js";
import { scratchDir } from "../helpers/kiosk-store.js";
import { until } from "../helpers/wait.js";

const KIOSK = "kiosk-wait-01";
const TTL_SECONDS = 300;

/**
 * Commands that wait, end to end: central on PostgreSQL, a private Mosquitto, and a real kiosk
 * process (`spectra-kiosk start`) that is stopped and started again. Central's clock can be moved
 * ahead, so a command's expiry passes while the kiosk is away without waiting minutes — the kiosk's
 * own clock is not moved, so it would still run the command if central ever sent it.
 */
describe("commands that wait for an offline kiosk (PostgreSQL, Mosquitto, a kiosk process)", () => {
  let aheadMs = 0;
  const centralClock: Clock = { now: () => new Date(Date.now() + aheadMs) };
  let fleet: Fleet;
  let kiosk: CliProcess | null = null;
  let watcher: MqttClient;
  let client: DashboardClient;
  let csrf: string;
  let kioskConfig: string;
  const dir = scratchDir("spectra-waiting-");
  /** The kiosk's `online` states and the commands on its downlink, in the order the broker gave them. */
  const wire: ({ kind: "online" } | { kind: "command"; commandId: string })[] = [];

  const db = () => sqlOf(fleet.database.pool);
  const stateOf = async (): Promise<string | undefined> =>
    (await db().query<{ state: string }>("SELECT state FROM devices WHERE device_id = $1", [KIOSK]))[0]
      ?.state;
  const rowOf = async (commandId: string) =>
    (
      await db().query<{ delivery: string; delivered_at: unknown; expired_at: unknown; signed: unknown }>(
        "SELECT delivery, delivered_at, expired_at, signed FROM commands WHERE command_id = $1",
        [commandId],
      )
    )[0];
  const resultsOf = async (commandId: string) =>
    db().query<{ outcome: string; code: string | null }>(
      "SELECT outcome, code FROM command_results WHERE command_id = $1 ORDER BY at",
      [commandId],
    );
  const lockState = () => {
    const store = openKioskStore({
      path: join(dir.path, "data", "kiosk.sqlite"),
      deviceId: KIOSK,
      clock: systemClock,
      logger: createMemoryLogger(),
    });
    try {
      return store.lock.state;
    } finally {
      store.close();
    }
  };

  async function startKiosk(): Promise<void> {
    const onlineBefore = wire.filter((entry) => entry.kind === "online").length;
    kiosk = spawnCli(["start", "--config", kioskConfig]);
    const running = kiosk;
    await until(
      async () =>
        wire.filter((entry) => entry.kind === "online").length > onlineBefore &&
        (await stateOf()) === "online",
      "the kiosk online at central",
      60_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\nkiosk output:\n${running.output().slice(-3000)}`);
    });
  }

  async function stopKiosk(): Promise<void> {
    await kiosk?.kill();
    kiosk = null;
    await until(async () => (await stateOf()) === "offline", "the kiosk offline at central");
  }

  async function send(name: string, fields: Record<string, string> = {}): Promise<string> {
    const sent = await client.post(`/kiosks/${KIOSK}/commands`, { csrf, name, ...fields, confirm: "yes" });
    expect(sent.status).toBe(303);
    return sent.location?.replace("/commands/", "") ?? "";
  }

  beforeAll(async () => {
    fleet = await startFleet({}, {}, { clock: centralClock });
    watcher = await mqttClient(fleet.broker.url);
    watcher.on("message", (topic, body) => {
      const decoded = decodeMessage(topic, body, {
        direction: topic.includes("/up/") ? "up" : "down",
        maxBytes: 1 << 20,
      });
      if (!decoded.ok) return;
      const message = decoded.value;
      if (message.kind === "state" && message.payload.state === "online") wire.push({ kind: "online" });
      if (message.kind === "command") wire.push({ kind: "command", commandId: message.payload.commandId });
    });
    await watcher.subscribeAsync(
      [deviceTopic(KIOSK, "up", "state"), deviceTopic(KIOSK, "down", "commands")],
      { qos: 1 },
    );
    kioskConfig = writeTestConfig(dir.path, "kiosk", {
      deviceId: KIOSK,
      dataDir: join(dir.path, "data"),
      sync: { broker: externalBroker(fleet.broker.url) },
      extra: { remote: { commandPublicKey: fleet.publicKeyPem, maxClockSkewSeconds: 5 } },
    });
    await startKiosk();
    client = new DashboardClient(fleet.url);
    await client.signIn();
    csrf = await client.csrf();
  }, 120_000);

  afterAll(async () => {
    await kiosk?.kill();
    await watcher?.endAsync();
    await fleet?.stop();
    dir.remove();
  });

  it("queues a lock sent while the kiosk is away, and the kiosk applies it when it reconnects", async () => {
    await stopKiosk();
    const review = await client.post(`/kiosks/${KIOSK}/commands`, {
      csrf,
      name: "lock",
      reason: "Counter closed",
    });
    expect(review.text).toContain('data-test="will-wait"');

    const commandId = await send("lock", { reason: "Counter closed" });
    const queued = await client.get(`/commands/${commandId}`);
    expect(queued.text).toContain('data-test="status" data-value="queued"');
    expect(queued.text).toContain(ErrorCodes.DASHBOARD_KIOSK_OFFLINE);
    expect(queued.headers.get("refresh")).toBe("2");
    expect((await client.get(`/kiosks/${KIOSK}`)).text).toMatch(
      new RegExp(`data-command="${commandId}" data-name="lock">[\\s\\S]*?data-value="queued"`),
    );
    const row = await rowOf(commandId);
    expect(row).toMatchObject({ delivery: "queued", delivered_at: null });
    expect(row?.signed).toMatchObject({ commandId, deviceId: KIOSK, name: "lock", issuedBy: OPERATOR.name });
    expect(lockState()).toEqual({ locked: false });

    await startKiosk();
    await until(
      async () => (await resultsOf(commandId)).length > 0,
      "the kiosk's answer to the lock",
      30_000,
    );
    expect(await resultsOf(commandId)).toEqual([{ outcome: "completed", code: null }]);
    expect(lockState()).toMatchObject({
      locked: true,
      reason: "Counter closed",
      by: `central:${OPERATOR.name}`,
    });
    const delivered = await rowOf(commandId);
    expect(delivered?.delivery).toBe("delivered");
    expect(delivered?.delivered_at).not.toBeNull();
    // Published once, and only after the kiosk said it was back (it subscribes before it says so).
    const sends = wire.flatMap((entry, index) =>
      entry.kind === "command" && entry.commandId === commandId ? [index] : [],
    );
    expect(sends).toHaveLength(1);
    const lastOnline = wire.map((entry) => entry.kind).lastIndexOf("online");
    expect(sends[0]).toBeGreaterThan(lastOnline);
    const page = await client.get(`/commands/${commandId}`);
    expect(page.text).toContain('data-test="status" data-value="applied"');
    expect(page.headers.get("refresh")).toBeNull();
  }, 120_000);

  it("marks a queued command expired when its expiry passes while the kiosk is away, and never sends it", async () => {
    await stopKiosk();
    const unlockId = await send("unlock");
    expect((await rowOf(unlockId))?.delivery).toBe("queued");
    // Central's clock passes the command's expiry; the courier's next pass marks it.
    aheadMs = (TTL_SECONDS + 1) * 1000;
    await until(async () => (await rowOf(unlockId))?.delivery === "expired", "the unlock marked expired");
    expect((await rowOf(unlockId))?.expired_at).not.toBeNull();
    const page = await client.get(`/commands/${unlockId}`);
    expect(page.text).toContain('data-test="status" data-value="expired"');
    expect(page.text).toContain(ErrorCodes.DASHBOARD_COMMAND_EXPIRED);
    expect(page.headers.get("refresh")).toBeNull();
    const audit = await client.get("/audit");
    expect(audit.text).toMatch(new RegExp(`data-command="${unlockId}"[\\s\\S]*?data-value="expired"`));

    // Back to real time: the signature is still valid for the kiosk, so only central holds it back.
    aheadMs = 0;
    // Queued behind it, still valid: the courier's pass that delivers it would take the unlock too.
    const syncId = await send("sync-now");
    expect((await rowOf(syncId))?.delivery).toBe("queued");
    await startKiosk();
    await until(async () => (await resultsOf(syncId)).length > 0, "the kiosk's answer to sync-now", 30_000);
    expect(wire.some((entry) => entry.kind === "command" && entry.commandId === unlockId)).toBe(false);
    expect(await resultsOf(unlockId)).toEqual([]);
    expect(lockState()).toMatchObject({ locked: true });
    expect((await rowOf(unlockId))?.delivery).toBe("expired");
  }, 120_000);

  it("shows every status in the browser, at 1280 px and on a phone, and a queued command turning applied", async () => {
    // Central's clock behind by more than the validity: the kiosk, on real time, finds it expired.
    aheadMs = -(TTL_SECONDS + 30) * 1000;
    const lateId = await send("set-log-level", { level: "debug" });
    aheadMs = 0;
    await until(async () => (await resultsOf(lateId)).length > 0, "the kiosk's refusal", 30_000);
    expect(await resultsOf(lateId)).toEqual([{ outcome: "rejected", code: "REMOTE_COMMAND_EXPIRED" }]);
    await stopKiosk();
    const waitingId = await send("reload-invoices");

    const { context, page } = await launchChromium(dir.path);
    try {
      await page.goto(`${fleet.url}/sign-in`);
      await page.fill("#name", OPERATOR.name);
      await page.fill("#password", OPERATOR.password);
      await page.click('[data-test="sign-in-submit"]');
      await page.waitForSelector('[data-test="signed-in-as"]');
      await page.goto(`${fleet.url}/kiosks/${KIOSK}#commands`);
      const statusOf = (name: string) =>
        page
          .locator(`tr[data-test="command-row"][data-name="${name}"] [data-test="status"]`)
          .first()
          .getAttribute("data-value");
      expect(await statusOf("lock")).toBe("applied");
      expect(await statusOf("unlock")).toBe("expired");
      expect(await statusOf("sync-now")).toBe("applied");
      expect(await statusOf("set-log-level")).toBe("refused");
      expect(await statusOf("reload-invoices")).toBe("queued");
      const refused = page.locator('tr[data-name="set-log-level"] [data-test="status-detail"]');
      expect(await refused.textContent()).toContain("REMOTE_COMMAND_EXPIRED");
      await screenshotOf(page.locator("#commands"), dir.path, "dashboard-command-statuses");
      // On a phone the page does not scroll sideways (the table scrolls in its card if it must).
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(`${fleet.url}/kiosks/${KIOSK}#commands`);
      expect(await page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(390);
      await screenshotOf(page.locator("#commands"), dir.path, "dashboard-command-statuses-phone");

      // The queued command's page reloads itself; it says "applied" once the kiosk is back.
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto(`${fleet.url}/commands/${waitingId}`);
      expect(await page.getAttribute('[data-test="status"]', "data-value")).toBe("queued");
      await screenshot(page, dir.path, "dashboard-command-queued");
      await page.setViewportSize({ width: 390, height: 844 });
      await page.reload();
      expect(await page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(390);
      await page.setViewportSize({ width: 1280, height: 900 });
      await startKiosk();
      await page.waitForSelector('[data-test="status"][data-value="applied"]', { timeout: 60_000 });
      expect(await page.textContent('[data-test="delivered-at"]')).not.toBe("not yet");
    } finally {
      await context.close();
    }
  }, 180_000);
});
