import { existsSync, readFileSync, statfsSync } from "node:fs";
import { join } from "node:path";
import type { MqttClient } from "mqtt";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../src/core/ids.js";
import type { KioskStore } from "../../src/store/kiosk-store.js";
import type { SyncAgent } from "../../src/sync/agent/sync-agent.js";
import { decodeMessage } from "../../src/sync/protocol/codec.js";
import { commandPublicKey, hasValidSignature } from "../../src/sync/protocol/command-signature.js";
import type { Command, DesiredConfig } from "../../src/sync/protocol/messages.js";
import { downlinkFilter } from "../../src/sync/protocol/topics.js";
import { centralTotals, sqlOf } from "../helpers/central-queries.js";
import { type CliProcess, spawnCli } from "../helpers/cli-process.js";
import {
  type Fleet,
  mqttClient,
  OPERATOR,
  publishAs,
  startFleet,
  startKioskAgent,
} from "../helpers/dashboard.js";
import { launchChromium, screenshot } from "../helpers/dashboard-browser.js";
import { externalBroker, writeTestConfig } from "../helpers/kiosk-config.js";
import { loggedUrl } from "../helpers/kiosk-screen.js";
import { openTestStore, scratchDir } from "../helpers/kiosk-store.js";
import { sampleCardRecord, sampleInvoice, sampleRecord } from "../helpers/sync-fixtures.js";
import { until } from "../helpers/wait.js";

const KIOSK = "kiosk-front-desk";
const OTHER = "kiosk-studio-02";
const down = { direction: "down", maxBytes: 1 << 20 } as const;

/**
 * A day of telemetry for the second kiosk, every 10 minutes, so its charts have something to draw
 * in the screenshot: an afternoon network outage (records pile up, then drain), an hour switched
 * off (a gap), and the printer out of paper for a while. Written as ingest writes history.
 */
async function seedDayOfTelemetry(db: ReturnType<typeof sqlOf>, deviceId: string): Promise<void> {
  const now = Date.now();
  // Near what the live agent reports for its data directory, so the line joins up.
  const disk = statfsSync("/tmp");
  const freeNow = disk.bavail * disk.bsize;
  const rows = [];
  for (let step = 144; step >= 1; step--) {
    if (step >= 40 && step < 46) continue; // switched off
    const hoursAgo = (step * 10) / 60;
    const outage = hoursAgo > 4 && hoursAgo < 6.5;
    const depth = outage ? Math.round((6.5 - hoursAgo) * 9) : step % 7 === 0 ? 1 : 0;
    rows.push({
      device_id: deviceId,
      at: new Date(now - step * 600_000).toISOString(),
      software_version: "9.8.7",
      uptime_seconds: 40_000 + (144 - step) * 600,
      outbox_depth: depth,
      oldest_unsynced_age_seconds: depth > 0 ? Math.round(outage ? (6.5 - hoursAgo) * 3600 : 20) : null,
      disk_free_bytes: freeNow + step * 40_000_000,
      drivers: {
        "card-reader": { status: outage && hoursAgo > 5.5 ? "disconnected" : "connected", detail: null },
        printer: { status: hoursAgo > 9 && hoursAgo < 10.5 ? "paper-out" : "connected", detail: null },
        gpio: { status: "simulated", detail: null },
      },
    });
  }
  await db.query(
    `INSERT INTO telemetry_history (device_id, at, software_version, uptime_seconds, outbox_depth,
       oldest_unsynced_age_seconds, disk_free_bytes, drivers)
     SELECT r.device_id, r.at, r.software_version, r.uptime_seconds, r.outbox_depth,
       r.oldest_unsynced_age_seconds, r.disk_free_bytes, r.drivers
     FROM jsonb_to_recordset($1::jsonb) AS r(device_id text, at timestamptz, software_version text,
       uptime_seconds bigint, outbox_depth integer, oldest_unsynced_age_seconds integer,
       disk_free_bytes bigint, drivers jsonb)`,
    [JSON.stringify(rows)],
  );
}

describe("the fleet dashboard in Debian's chromium", () => {
  const dir = scratchDir("spectra-dashboard-browser-");
  let fleet: Fleet;
  let kiosk: CliProcess;
  let watcher: MqttClient;
  let store: KioskStore;
  let agent: SyncAgent;
  let context: BrowserContext;
  let page: Page;
  /** What reached the kiosk's downlink (the broker delivers it to whoever subscribes there). */
  const commands: Command[] = [];
  const configs: DesiredConfig[] = [];

  beforeAll(async () => {
    fleet = await startFleet();
    // A kiosk started the way a user starts it, on the private broker.
    const kioskConfig = writeTestConfig(dir.path, "kiosk", {
      deviceId: KIOSK,
      dataDir: join(dir.path, "kiosk"),
      sync: { broker: externalBroker(fleet.broker.url) },
      logLevel: "info",
      // The kiosk trusts central's key (as `central keys generate` prints it).
      // Any free port for its screen, so parallel runs never collide on 8080.
      extra: { remote: { commandPublicKey: fleet.publicKeyPem }, ui: { host: "127.0.0.1", port: 0 } },
    });
    kiosk = spawnCli(["start", "--config", kioskConfig]);

    watcher = await mqttClient(fleet.broker.url);
    watcher.on("message", (topic, body) => {
      const decoded = decodeMessage(topic, body, down);
      if (decoded.ok && decoded.value.kind === "command") commands.push(decoded.value.payload);
      if (decoded.ok && decoded.value.kind === "desiredConfig") configs.push(decoded.value.payload);
    });
    await watcher.subscribeAsync(downlinkFilter(KIOSK), { qos: 1 });

    // A second kiosk (a sync agent in this process) with payments, and a third that went away
    // with records waiting, so the pages have something to show.
    store = openTestStore(join(dir.path, OTHER), OTHER);
    const invoice = sampleInvoice({ number: "A-1042" });
    store.invoices.upsertInvoice(invoice, new Date().toISOString());
    const today = new Date().toISOString().slice(0, 10);
    store.records.insert(sampleRecord(invoice, OTHER, 15_000, { paymentDate: today }), "csh");
    store.records.insert({ ...sampleCardRecord(invoice, OTHER, 4_250), paymentDate: today }, null);
    store.records.insert(
      sampleRecord(invoice, OTHER, 2_599, {
        paymentDate: today,
        methodId: "check",
        methodName: "Check",
        method: { type: "check", checkNumber: "1187" },
      }),
      "csh",
    );
    agent = startKioskAgent(store, OTHER, fleet.broker.url);
    const ghost = await mqttClient(fleet.broker.url);
    const connectionId = newId();
    await publishAs(ghost, "state", "kiosk-lobby-03", { state: "online", connectionId, reason: "connected" });
    await publishAs(ghost, "telemetry", "kiosk-lobby-03", {
      softwareVersion: "0.1.0",
      uptimeSeconds: 86_000,
      outbox: { depth: 14, oldestUnsyncedAgeSeconds: 2_700 },
      drivers: {
        "card-reader": { status: "disconnected", detail: "no data for 30 s" },
        printer: { status: "connected", detail: null },
        gpio: { status: "connected", detail: null },
      },
      disk: { freeBytes: 3_400_000_000 },
      lastSyncAt: new Date(Date.now() - 2_700_000).toISOString(),
    });
    await publishAs(ghost, "state", "kiosk-lobby-03", {
      state: "offline",
      connectionId,
      reason: "connection-lost",
    });
    await ghost.publishAsync(`spectra/v1/kiosks/kiosk-lobby-03/up/records`, '{"schema":1,"truncated', {
      qos: 1,
    });
    await ghost.endAsync();
    const db = sqlOf(fleet.database.pool);
    await until(async () => (await centralTotals(db)).count === 3, "the second kiosk's payments at central");
    await seedDayOfTelemetry(db, OTHER);

    ({ context, page } = await launchChromium(dir.path));
  });

  afterAll(async () => {
    await context?.close();
    await watcher?.endAsync();
    await agent?.stop();
    store?.close();
    await kiosk?.kill("SIGTERM");
    await fleet?.stop();
    dir.remove();
  });

  /** Reloads the overview until the kiosk's row shows `state`. */
  const rowState = async (deviceId: string, state: string): Promise<void> => {
    await until(
      async () => {
        await page.goto(`${fleet.url}/`);
        return (await page.locator(`tr[data-kiosk="${deviceId}"][data-state="${state}"]`).count()) === 1;
      },
      `${deviceId} ${state} on the dashboard`,
      30_000,
      300,
    );
  };

  it("signs in", async () => {
    await page.goto(`${fleet.url}/payments`);
    expect(new URL(page.url()).pathname).toBe("/sign-in");
    await screenshot(page, dir.path, "dashboard-sign-in");
    await page.fill("#name", OPERATOR.name);
    await page.fill("#password", "a wrong password");
    await page.click('[data-test="sign-in-submit"]');
    expect(await page.textContent('[data-test="notice"]')).toContain("Wrong user name or password");
    await page.fill("#password", OPERATOR.password);
    await page.click('[data-test="sign-in-submit"]');
    await page.waitForSelector('[data-test="payment-filters"]');
    expect(new URL(page.url()).pathname).toBe("/payments");
    expect(await page.textContent('[data-test="signed-in-as"]')).toBe(OPERATOR.name);
    // The session cookie is not readable by scripts.
    const cookies = await context.cookies();
    expect(cookies.find((cookie) => cookie.name === "spectra_session")).toMatchObject({
      httpOnly: true,
      sameSite: "Strict",
    });
  }, 60_000);

  it("shows the kiosk online, and a lock sent from its page reaches the kiosk signed with central's key and turns its screen to Out of service", async () => {
    await rowState(KIOSK, "online");
    await until(
      async () => {
        await page.goto(`${fleet.url}/`);
        return (await page.locator(`tr[data-kiosk="${KIOSK}"] [data-test="records-waiting"]`).count()) === 1;
      },
      "the kiosk's telemetry",
      20_000,
      300,
    );
    await until(
      async () => {
        await page.goto(`${fleet.url}/`);
        return (
          (await page
            .locator(
              `tr[data-kiosk="${OTHER}"][data-state="online"] [data-test="records-waiting"][data-value="0"]`,
            )
            .count()) === 1
        );
      },
      "the second kiosk synced",
      20_000,
      300,
    );
    await screenshot(page, dir.path, "dashboard-overview");

    await page.click(`tr[data-kiosk="${KIOSK}"] a`);
    await page.waitForSelector(`[data-test="kiosk-title"][data-kiosk="${KIOSK}"]`);
    await page.fill("#lock-reason", "Screen cleaning");
    await page.click('[data-test="command-lock"]');
    await page.waitForSelector('[data-test="confirm-command"]');
    await screenshot(page, dir.path, "dashboard-confirm-lock");
    expect(commands).toHaveLength(0);
    await page.click('[data-test="confirm"]');
    await page.waitForSelector('[data-test="command"]');
    const commandId = (await page.textContent('[data-test="command-id"]')) ?? "";
    // Delivered at once (the kiosk is online); on a quick kiosk it may already have applied it.
    expect(["delivered", "applied"]).toContain(await page.getAttribute('[data-test="status"]', "data-value"));

    await until(
      () => commands.some((command) => command.commandId === commandId),
      "the lock on the kiosk's downlink",
      10_000,
    );
    const lock = commands.find((command) => command.commandId === commandId) as Command;
    expect(lock).toMatchObject({
      name: "lock",
      args: { reason: "Screen cleaning" },
      issuedBy: OPERATOR.name,
    });
    expect(hasValidSignature(lock, commandPublicKey(fleet.publicKeyPem))).toBe(true);
    expect(Date.parse(lock.expiresAt)).toBeGreaterThan(Date.now());
    await screenshot(page, dir.path, "dashboard-command");

    // The kiosk verifies it and reports back; the command page reloads itself until it has.
    await page.waitForSelector('[data-test="result"][data-outcome="completed"]', { timeout: 15_000 });
    expect(await page.locator('[data-test="result"][data-outcome="rejected"]').count()).toBe(0);

    // The kiosk is locked: its own diagnostics say so.
    await page.goto(`${fleet.url}/kiosks/${KIOSK}`);
    await page.click('[data-test="command-send-diagnostics"]');
    await page.click('[data-test="confirm"]');
    await page.waitForSelector('[data-test="result"][data-outcome="completed"]', { timeout: 15_000 });
    const diagnostics = JSON.parse((await page.textContent('[data-test="result-data"]')) ?? "{}") as {
      lock?: { locked: boolean; reason?: string; by?: string };
      config?: Record<string, unknown>;
    };
    expect(diagnostics.lock).toMatchObject({
      locked: true,
      reason: "Screen cleaning",
      by: `central:${OPERATOR.name}`,
    });
    expect(JSON.stringify(diagnostics.config ?? {})).not.toContain("PRIVATE KEY");

    // The overview shows it out of service too: the lock change is reported in telemetry at once.
    await until(
      async () => {
        await page.goto(`${fleet.url}/`);
        return (await page.locator(`tr[data-kiosk="${KIOSK}"] [data-test="locked"]`).count()) === 1;
      },
      "the lock on the fleet overview",
      15_000,
      300,
    );
    expect(await page.textContent(`tr[data-kiosk="${KIOSK}"]`)).toContain("Screen cleaning");

    // And its screen changed: the kiosk's own touchscreen shows Out of service, with the reason.
    const screenUrl = loggedUrl(kiosk.output());
    expect(screenUrl, "the kiosk logs its screen's URL").not.toBeNull();
    const kioskScreen = await context.newPage();
    try {
      await kioskScreen.setViewportSize({ width: 800, height: 480 });
      await kioskScreen.goto(screenUrl as string);
      await kioskScreen.waitForFunction("document.body.dataset.screen === 'common.out-of-service'", null, {
        timeout: 15_000,
      });
      expect(await kioskScreen.textContent("body")).toContain("Screen cleaning");
    } finally {
      await kioskScreen.close();
    }
  }, 60_000);

  it("pushes a desired configuration after review, retained for the kiosk", async () => {
    await page.goto(`${fleet.url}/kiosks/${KIOSK}`);
    await page.fill(
      '[data-test="config-editor"]',
      JSON.stringify({ "log.level": "warn", "ui.idleTimeoutSeconds": 90 }, null, 2),
    );
    await page.click('[data-test="config-review"]');
    await page.waitForSelector('[data-test="confirm-config"]');
    await page.click('[data-test="confirm"]');
    await page.waitForSelector('[data-test="notice"]');
    expect(await page.textContent('[data-test="notice"]')).toContain("Configuration v1 pushed");
    await until(
      () => configs.some((config) => config.version === 1),
      "the desired configuration on the downlink",
      10_000,
    );
    expect(configs.find((config) => config.version === 1)?.settings).toEqual({
      "log.level": "warn",
      "ui.idleTimeoutSeconds": 90,
    });
    // The kiosk applies it (an orderly restart) and reports the version it runs.
    await until(
      async () => {
        await page.goto(`${fleet.url}/kiosks/${KIOSK}`);
        return (await page.locator('[data-test="reported-config"][data-version="1"]').count()) === 1;
      },
      "the kiosk running v1",
      30_000,
      500,
    );
    await rowState(KIOSK, "online");
    await page.goto(`${fleet.url}/kiosks/${KIOSK}`);
    await screenshot(page, dir.path, "dashboard-kiosk-control");
  }, 60_000);

  it("shows a kiosk's telemetry over the day, and the diagnostics it sends back", async () => {
    const received: Command[] = [];
    agent.on("command", (command) => received.push(command));
    await page.goto(`${fleet.url}/kiosks/${OTHER}`);
    await page.click('[data-test="command-send-diagnostics"]');
    await page.click('[data-test="confirm"]');
    await page.waitForSelector('[data-test="command"]');
    await until(() => received.length === 1, "diagnostics command at the second kiosk", 10_000);
    const [command] = received as [Command];
    expect(hasValidSignature(command, commandPublicKey(fleet.publicKeyPem))).toBe(true);
    // The kiosk side answers as issue #7's command handler will: accepted, then completed with data.
    const kioskSide = await mqttClient(fleet.broker.url);
    const at = () => new Date().toISOString();
    await publishAs(kioskSide, "commandResult", OTHER, {
      commandId: command.commandId,
      outcome: "accepted",
      code: null,
      detail: null,
      data: null,
      at: at(),
    });
    await publishAs(kioskSide, "commandResult", OTHER, {
      commandId: command.commandId,
      outcome: "completed",
      code: null,
      detail: "diagnostics attached",
      data: {
        softwareVersion: "9.8.7",
        node: process.version,
        lastErrors: [],
        health: { printer: "paper-out" },
      },
      at: at(),
    });
    await kioskSide.endAsync();
    // The command page reloads itself until the kiosk has answered.
    await page.waitForSelector('[data-test="result"][data-outcome="completed"]', { timeout: 15_000 });
    expect(await page.textContent('[data-test="result-data"]')).toContain('"softwareVersion": "9.8.7"');
    await screenshot(page, dir.path, "dashboard-command-result");

    await page.goto(`${fleet.url}/kiosks/${OTHER}`);
    expect(Number(await page.getAttribute('[data-test="chart-outbox"]', "data-points"))).toBeGreaterThan(100);
    expect(
      await page.locator('[data-test="health-strip"] rect title', { hasText: "printer: paper-out" }).count(),
    ).toBeGreaterThan(0);
    await screenshot(page, dir.path, "dashboard-kiosk");
  }, 60_000);

  it("shows the kiosk offline when it dies (its Last Will), and queues a command for it", async () => {
    await kiosk.kill("SIGKILL");
    await rowState(KIOSK, "offline");
    expect(await page.textContent(`tr[data-kiosk="${KIOSK}"]`)).toContain("connection-lost");
    expect(await page.textContent('[data-test="count-offline"]')).toBe("2");
    // Its printer is not "connected" any more: unknown while it is offline (fleet-health.test.ts
    // proves the rest of the as-of state and takes the screenshot).
    expect(
      await page
        .locator(`tr[data-kiosk="${KIOSK}"] td[data-device="printer"] [data-test="health"]`)
        .getAttribute("data-value"),
    ).toBe("unknown");

    await page.goto(`${fleet.url}/kiosks/${KIOSK}`);
    const before = commands.length;
    await page.click('[data-test="command-unlock"]');
    await page.waitForSelector('[data-test="confirm-command"]');
    await page.click('[data-test="confirm"]');
    await page.waitForSelector('[data-test="command"]');
    // Queued, not sent: it waits for the kiosk (waiting-commands.test.ts delivers one).
    expect(await page.getAttribute('[data-test="status"]', "data-value")).toBe("queued");
    expect(await page.textContent('[data-test="status-detail"]')).toContain("waits for the kiosk");
    await page.waitForTimeout(300);
    expect(commands).toHaveLength(before);
  }, 60_000);

  it("lists payments across the fleet with filters, exports them, and shows dead letters and the audit log", async () => {
    await page.goto(`${fleet.url}/payments`);
    await page.selectOption("#f-method", "card");
    await page.click('[data-test="apply-filters"]');
    await page.waitForSelector('[data-test="records-count"][data-value="1"]');
    expect(await page.textContent('[data-test="amount"]')).toBe("42.50 USD");
    const download = page.waitForEvent("download");
    await page.click('[data-test="csv-export"]');
    const file = join(dir.path, "export.csv");
    await (await download).saveAs(file);
    expect(existsSync(file)).toBe(true);
    const lines = readFileSync(file, "utf8").trim().split("\r\n");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(",42.50,USD,4250,");
    await page.goto(`${fleet.url}/payments`);
    await screenshot(page, dir.path, "dashboard-payments");

    await page.goto(`${fleet.url}/dead-letters`);
    await page.waitForSelector('[data-test="dead-letter"][data-code="SYNC_MESSAGE_NOT_JSON"]');
    await screenshot(page, dir.path, "dashboard-dead-letters");

    await page.goto(`${fleet.url}/audit`);
    expect(await page.locator('[data-test="audit-entry"][data-action="command"]').count()).toBe(4);
    expect(await page.locator('[data-test="audit-entry"][data-action="desired-config"]').count()).toBe(1);
    await screenshot(page, dir.path, "dashboard-audit");
  }, 60_000);
});
