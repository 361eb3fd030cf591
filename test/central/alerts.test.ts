import { createHmac } from "node:crypto";
import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { catalogPageCheckFor } from "../../src/app/catalog-page-check.js";
import { tamperHealth } from "../../src/app/driver-health.js";
import type { AlertWebhookBody } from "../../src/central/alerts/alert-message.js";
import { systemClock } from "../../src/core/clock.js";
import { createMemoryLogger } from "../../src/core/logger.js";
import type { KioskStore } from "../../src/store/kiosk-store.js";
import { SyncAgent } from "../../src/sync/agent/sync-agent.js";
import { kioskEndpoint } from "../../src/sync/mqtt/endpoint.js";
import { sqlOf } from "../helpers/central-queries.js";
import { type CliProcess, spawnCli } from "../helpers/cli-process.js";
import { type Fleet, OPERATOR, SAMPLE_HEALTH, startFleet, startKioskAgent } from "../helpers/dashboard.js";
import { launchChromium, screenshot } from "../helpers/dashboard-browser.js";
import { externalBroker, testConfig, writeTestConfig } from "../helpers/kiosk-config.js";
import { openTestStore, scratchDir } from "../helpers/kiosk-store.js";
import { startTestSmtpServer, type TestSmtpServer } from "../helpers/smtp-server.js";
import { until } from "../helpers/wait.js";
import { startWebhookReceiver, type WebhookReceiver } from "../helpers/webhook-receiver.js";

/** The kiosk that is killed and comes back: a real `spectra-kiosk sync` process. */
const KIOSK = "kiosk-lobby-02";
/** A kiosk whose printer reports paper out (an in-process agent): an alert that stays open. */
const PAPER_OUT = "kiosk-front-desk";
const OFFLINE_AFTER_SECONDS = 3;
const PUBLIC_URL = "https://fleet.studio.example";
const HOOK_SECRET = "a-shared-secret-for-the-hook-0123";
const TO = ["ops@studio.example", "owner@studio.example"];
/** A kiosk whose door is opened: reported at once, not at its (hour-long) telemetry interval. */
const DOOR = "kiosk-back-door";

describe("alerts: a killed kiosk raises the offline alert after the threshold and clears it on return (Mosquitto, PostgreSQL, SMTP, a web hook)", () => {
  const dir = scratchDir("spectra-alerts-");
  let smtp: TestSmtpServer;
  let hooks: WebhookReceiver;
  let fleet: Fleet;
  let db: ReturnType<typeof sqlOf>;
  let kiosk: CliProcess | null = null;
  let kioskConfig: string;
  let store: KioskStore | null = null;
  let agent: SyncAgent | null = null;
  let doorAgent: SyncAgent | null = null;
  let doorStore: KioskStore | null = null;
  let context: BrowserContext | null = null;

  const deviceState = async (deviceId: string) =>
    (
      await db.query<{ state: string; state_changed_at: Date | null }>(
        "SELECT state, state_changed_at FROM devices WHERE device_id = $1",
        [deviceId],
      )
    )[0];
  const alertsOf = (deviceId: string, rule: string) =>
    db.query<{ id: string; raised_at: Date; cleared_at: Date | null; detail: string }>(
      "SELECT id, raised_at, cleared_at, detail FROM alerts WHERE device_id = $1 AND rule = $2 ORDER BY id",
      [deviceId, rule],
    );
  const hookBodies = (): AlertWebhookBody[] =>
    hooks.accepted.map((hook) => JSON.parse(hook.body) as AlertWebhookBody);
  const hooksFor = (deviceId: string, event: "raised" | "cleared") =>
    hookBodies().filter(
      (body) => body.alert.deviceId === deviceId && body.alert.rule === "offline" && body.event === event,
    );
  const mailsFor = (deviceId: string, word: "Alert" | "Cleared") =>
    smtp.messages.filter((mail) => mail.subject.endsWith(`] ${word}: Offline — ${deviceId}`));

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    hooks = await startWebhookReceiver({ failFirst: 1 });
    const secretFile = join(dir.path, "hook-secret");
    writeFileSync(secretFile, `${HOOK_SECRET}\n`);
    chmodSync(secretFile, 0o600);
    fleet = await startFleet(
      {},
      {
        mail: { host: smtp.host, port: smtp.port, tls: "none", from: { address: "fleet@studio.example" } },
        alerts: {
          intervalSeconds: 1,
          dashboardUrl: PUBLIC_URL,
          // The disk rule would judge this machine's /tmp: off, so only what the test sets up alerts.
          rules: { offline: { afterSeconds: OFFLINE_AFTER_SECONDS }, diskLow: { enabled: false } },
          email: { to: TO },
          webhook: { url: hooks.url, timeoutMs: 3000, attempts: 3, secretFile },
        },
      },
    );
    db = sqlOf(fleet.database.pool);
    kioskConfig = writeTestConfig(dir.path, "kiosk", {
      deviceId: KIOSK,
      dataDir: join(dir.path, "kiosk"),
      sync: { broker: externalBroker(fleet.broker.url) },
    });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await kiosk?.kill("SIGKILL");
    await agent?.stop();
    store?.close();
    await doorAgent?.stop();
    doorStore?.close();
    await fleet?.stop();
    await hooks?.close();
    await smtp?.close();
    dir.remove();
  });

  it("raises once, after the threshold, emails and posts it with the kiosk's link; clears it when the kiosk is back", async () => {
    kiosk = spawnCli(["sync", "--config", kioskConfig]);
    await until(
      async () => (await deviceState(KIOSK))?.state === "online",
      "the kiosk online at central",
      60_000,
    );
    // Online: no alert, however many rounds pass.
    await until(async () => (await alertsOf(KIOSK, "offline")).length === 0, "no offline alert while online");

    await kiosk.kill("SIGKILL");
    await until(
      async () => (await deviceState(KIOSK))?.state === "offline",
      "the Last Will at central",
      60_000,
    );
    const wentOffline = (await deviceState(KIOSK))?.state_changed_at;
    expect(wentOffline).toBeInstanceOf(Date);

    // Raised: the email and the web hook (the hook answered 503 once and was tried again).
    await until(() => mailsFor(KIOSK, "Alert").length === 1, "the raised alert's email", 60_000);
    await until(() => hooksFor(KIOSK, "raised").length === 1, "the raised alert's web hook", 60_000);
    const [raised] = await alertsOf(KIOSK, "offline");
    expect(raised?.cleared_at).toBeNull();
    // Not before the threshold: the alert's time is at least that long after the Will.
    expect((raised?.raised_at.getTime() ?? 0) - (wentOffline?.getTime() ?? 0)).toBeGreaterThanOrEqual(
      OFFLINE_AFTER_SECONDS * 1000,
    );

    const link = `${PUBLIC_URL}/kiosks/${KIOSK}`;
    const [mail] = mailsFor(KIOSK, "Alert");
    expect(mail?.envelopeTo).toEqual(TO);
    expect(mail?.subject).toBe(`[Spectra] Alert: Offline — ${KIOSK}`);
    expect(mail?.text).toContain(`Kiosk: ${link}`);
    expect(mail?.text).toContain(`threshold ${OFFLINE_AFTER_SECONDS} s`);
    expect(mail?.html).toContain(`href="${link}"`);

    const hook = hooks.accepted.find((one) => one.body === JSON.stringify(hooksFor(KIOSK, "raised")[0]));
    const body = JSON.parse(hook?.body ?? "{}") as AlertWebhookBody;
    expect(body).toMatchObject({
      event: "raised",
      alert: { id: raised?.id, rule: "offline", title: "Offline", deviceId: KIOSK, clearedAt: null },
      kioskUrl: link,
    });
    expect(hook?.headers["content-type"]).toBe("application/json");
    expect(hook?.headers["x-spectra-signature"]).toBe(
      `sha256=${createHmac("sha256", HOOK_SECRET)
        .update(hook?.body ?? "")
        .digest("hex")}`,
    );
    expect(hooks.refused()).toBe(1);

    // Back: cleared once, with an email and a web hook.
    kiosk = spawnCli(["sync", "--config", kioskConfig]);
    await until(async () => (await deviceState(KIOSK))?.state === "online", "the kiosk back online", 60_000);
    await until(() => mailsFor(KIOSK, "Cleared").length === 1, "the cleared alert's email", 60_000);
    await until(() => hooksFor(KIOSK, "cleared").length === 1, "the cleared alert's web hook", 60_000);
    const alerts = await alertsOf(KIOSK, "offline");
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.cleared_at).toBeInstanceOf(Date);
    const [cleared] = hooksFor(KIOSK, "cleared");
    expect(cleared?.alert.clearedAt).toBe(alerts[0]?.cleared_at?.toISOString());
    expect(mailsFor(KIOSK, "Cleared")[0]?.subject).toBe(`[Spectra] Cleared: Offline — ${KIOSK}`);

    // Each send is recorded beside the alert (queued with the change, then its outcome): the hook's
    // first raise took two attempts.
    await until(
      async () =>
        (
          await db.query("SELECT 1 FROM alert_notifications WHERE alert_id = $1 AND outcome <> 'pending'", [
            alerts[0]?.id,
          ])
        ).length === 4,
      "four notification outcomes recorded",
    );
    const outcomes = await db.query<{ event: string; channel: string; outcome: string; attempts: number }>(
      "SELECT event, channel, outcome, attempts FROM alert_notifications WHERE alert_id = $1 ORDER BY event, channel",
      [alerts[0]?.id],
    );
    expect(outcomes).toEqual([
      { event: "cleared", channel: "email", outcome: "sent", attempts: 1 },
      { event: "cleared", channel: "webhook", outcome: "sent", attempts: 1 },
      { event: "raised", channel: "email", outcome: "sent", attempts: 1 },
      { event: "raised", channel: "webhook", outcome: "sent", attempts: 2 },
    ]);
    // Raised once: however many rounds ran while it was offline, one email and one hook each way.
    expect(mailsFor(KIOSK, "Alert")).toHaveLength(1);
    expect(hooksFor(KIOSK, "raised")).toHaveLength(1);
  }, 240_000);

  it("shows open alerts, the history with what was sent, the count in the navigation and on the kiosk's page", async () => {
    store = openTestStore(join(dir.path, PAPER_OUT), PAPER_OUT);
    agent = startKioskAgent(store, PAPER_OUT, fleet.broker.url, SAMPLE_HEALTH);
    await until(
      async () => (await alertsOf(PAPER_OUT, "printer")).length === 1,
      "the paper-out alert",
      60_000,
    );

    // Only for the signed in.
    const visitor = await fetch(`${fleet.url}/alerts`, { redirect: "manual" });
    expect(visitor.status).toBe(303);
    expect(visitor.headers.get("location")).toBe(`/sign-in?next=${encodeURIComponent("/alerts")}`);

    const browser = await launchChromium(dir.path);
    context = browser.context;
    const page: Page = browser.page;
    await page.goto(`${fleet.url}/sign-in`);
    await page.fill("#name", OPERATOR.name);
    await page.fill("#password", OPERATOR.password);
    await page.click('[data-test="sign-in-submit"]');
    await page.waitForSelector('[data-test="kiosks"]');
    expect(await page.getAttribute('[data-test="nav-alert-count"]', "data-value")).toBe("1");
    expect(await page.textContent('[data-test="count-alerts"]')).toBe("1");

    await page.click('header nav a[href="/alerts"]');
    await page.waitForSelector('[data-test="open-alerts"]');
    const open = page.locator('[data-test="open-alert"]');
    expect(await open.count()).toBe(1);
    expect(await open.getAttribute("data-kiosk")).toBe(PAPER_OUT);
    expect(await open.getAttribute("data-rule")).toBe("printer");
    expect(await open.textContent()).toContain("printer paper-out (cover open)");
    const offline = page.locator(`[data-test="alert-entry"][data-kiosk="${KIOSK}"][data-rule="offline"]`);
    expect(await offline.locator('[data-test="alert-state"]').getAttribute("data-value")).toBe("cleared");
    const sent = await offline
      .locator('[data-test="notification"]')
      .evaluateAll((nodes) => nodes.map((node) => node.getAttribute("data-value")));
    expect(sent.sort()).toEqual([
      "cleared-email-sent",
      "cleared-webhook-sent",
      "raised-email-sent",
      "raised-webhook-sent",
    ]);
    expect(await page.textContent('[data-test="alert-check"]')).toContain("every 1 s");
    await screenshot(page, dir.path, "dashboard-alerts");

    // Filters: by rule; a forged filter is refused with its code and shows nothing.
    await page.goto(`${fleet.url}/alerts?rule=offline`);
    expect(await page.locator('[data-test="alert-entry"]').count()).toBe(1);
    const forged = await page.goto(`${fleet.url}/alerts?rule=${encodeURIComponent("<script>")}`);
    expect(forged?.status()).toBe(400);
    expect(await page.textContent("main")).toContain("DASHBOARD_FILTER_INVALID");
    expect(await page.locator("script").count()).toBe(0);

    // The kiosk's page leads with its alerts.
    await page.goto(`${fleet.url}/kiosks/${PAPER_OUT}`);
    expect(await page.getAttribute('[data-test="kiosk-open-alerts"]', "data-value")).toBe("1");
    expect(await page.locator('[data-test="kiosk-alerts"] [data-test="open-alert"]').count()).toBe(1);

    // On a phone's width the page fits: tables scroll inside their cards, the page does not.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${fleet.url}/alerts`);
    const overflow = await page.evaluate<number>("document.documentElement.scrollWidth - window.innerWidth");
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, dir.path, "dashboard-alerts-phone");
  }, 120_000);
  it("raises the tamper alert as soon as the kiosk's door is opened, and clears it when shut", async () => {
    let door: "open" | "closed" = "closed";
    let holdNext = false;
    let released: Promise<void> = Promise.resolve();
    const heldBack = async (): Promise<string | null> => {
      if (holdNext) {
        holdNext = false;
        released = new Promise((resolve) => setTimeout(resolve, 1500));
        await released;
      }
      return null;
    };
    doorStore = openTestStore(join(dir.path, DOOR), DOOR);
    const config = testConfig({
      deviceId: DOOR,
      dataDir: join(dir.path, DOOR),
      sync: { broker: externalBroker(fleet.broker.url), telemetryIntervalSeconds: 3600 },
    });
    doorAgent = new SyncAgent({
      store: doorStore,
      deviceId: DOOR,
      config: config.sync,
      endpoint: kioskEndpoint(config.sync.broker),
      logger: createMemoryLogger(),
      clock: systemClock,
      softwareVersion: "9.8.7",
      dataDir: "/tmp",
      checkCatalogPage: catalogPageCheckFor(config, systemClock, createMemoryLogger()),
      drivers: { health: () => tamperHealth(door) },
      // The host's throttling is read through vcgencmd here (no /sys file under this root); holding
      // one read back makes an older report finish after a newer one, as a busy kiosk can.
      host: { root: join(dir.path, DOOR), interfaces: () => ({}), vcgencmd: () => heldBack() },
    });
    doorAgent.start();
    const reported = async (state: "open" | "closed") =>
      (
        await db.query(
          "SELECT 1 FROM devices WHERE device_id = $1 AND telemetry->'drivers'->'tamper'->>'detail' = $2",
          [DOOR, state],
        )
      ).length === 1;
    await until(() => reported("closed"), "the door's first report (on connecting)", 60_000);
    // A report of the shut door is collected slowly; the door opens and its report is ready first.
    // The older report must not then overwrite it at central.
    holdNext = true;
    expect(doorAgent.reportTelemetryNow()).toBe(true);

    door = "open";
    doorAgent.reportTelemetryNow();
    await until(async () => (await alertsOf(DOOR, "tamper")).length === 1, "the tamper alert", 60_000);
    // The shut door's late report is not sent over the open one: after it is ready (and a moment for
    // a message to cross the broker and ingest), central still has the door open.
    await released;
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(await reported("open")).toBe(true);
    await until(
      () => smtp.messages.some((mail) => mail.subject === `[Spectra] Alert: Tamper switch open — ${DOOR}`),
      "the tamper alert's email",
      60_000,
    );
    expect((await alertsOf(DOOR, "tamper"))[0]?.detail).toBe("tamper switch error (open)");

    door = "closed";
    doorAgent.reportTelemetryNow();
    await until(
      async () => (await alertsOf(DOOR, "tamper"))[0]?.cleared_at instanceof Date,
      "the tamper alert cleared",
      60_000,
    );
    await until(
      () => hookBodies().some((body) => body.alert.deviceId === DOOR && body.event === "cleared"),
      "the tamper alert's cleared web hook",
      60_000,
    );
  }, 180_000);
});
