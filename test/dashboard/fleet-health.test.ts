import { statfsSync } from "node:fs";
import { join } from "node:path";
import { connectAsync, type MqttClient } from "mqtt";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrorCodes } from "../../src/core/error-codes.js";
import { newId } from "../../src/core/ids.js";
import type { KioskStore } from "../../src/store/kiosk-store.js";
import type { SyncAgent } from "../../src/sync/agent/sync-agent.js";
import { encodeMessage } from "../../src/sync/protocol/codec.js";
import type { Telemetry } from "../../src/sync/protocol/messages.js";
import { deviceTopic } from "../../src/sync/protocol/topics.js";
import { sqlOf } from "../helpers/central-queries.js";
import {
  type Fleet,
  OPERATOR,
  publishAs,
  SAMPLE_HEALTH,
  startFleet,
  startKioskAgent,
} from "../helpers/dashboard.js";
import { launchChromium, screenshot } from "../helpers/dashboard-browser.js";
import { FakeHostRoot, fakeRaspberryPi } from "../helpers/fake-host.js";
import { openTestStore, scratchDir } from "../helpers/kiosk-store.js";
import { sleep, until } from "../helpers/wait.js";

/** A kiosk on a (fake) Raspberry Pi, reporting through a real sync agent. */
const PI = "kiosk-pi-counter";
/** A kiosk whose connection dies: the broker publishes its Last Will. */
const GONE = "kiosk-gone-07";

const GONE_TELEMETRY: Telemetry = {
  softwareVersion: "0.2.0",
  uptimeSeconds: 7_200,
  outbox: { depth: 3, oldestUnsyncedAgeSeconds: 95 },
  drivers: {
    "card-reader": { status: "connected", detail: null },
    printer: { status: "connected", detail: null },
    gpio: { status: "connected", detail: null },
  },
  disk: { freeBytes: 9_100_000_000, totalBytes: 29_800_000_000 },
  host: {
    model: "Raspberry Pi 5 Model B Rev 1.0",
    cpuTemperatureCelsius: 48.3,
    throttled: 0,
    memory: { totalBytes: 8_300_000_000, availableBytes: 6_900_000_000 },
    addresses: [{ interface: "wlan0", address: "10.20.0.7" }],
    os: "Debian GNU/Linux 13 (trixie)",
    kernel: "6.12.25+rpt-rpi-2712",
  },
  lastSyncAt: new Date().toISOString(),
};

/** A day of the Pi's health every 10 minutes, as ingest writes history: a warm afternoon, one brown-out. */
async function seedDayOfHealth(db: ReturnType<typeof sqlOf>, deviceId: string): Promise<void> {
  const now = Date.now();
  // Near what the live agent reports for its data directory, so the line joins up.
  const disk = statfsSync("/tmp");
  const freeNow = disk.bavail * disk.bsize;
  const rows = [];
  for (let step = 144; step >= 1; step--) {
    const hoursAgo = (step * 10) / 60;
    const afternoon = hoursAgo > 3 && hoursAgo < 8;
    const brownOut = hoursAgo > 5 && hoursAgo < 5.6;
    rows.push({
      device_id: deviceId,
      at: new Date(now - step * 600_000).toISOString(),
      software_version: "9.8.7",
      uptime_seconds: 40_000 + (144 - step) * 600,
      outbox_depth: 0,
      oldest_unsynced_age_seconds: null,
      disk_free_bytes: freeNow + step * 20_000_000,
      drivers: SAMPLE_HEALTH.health(),
      cpu_temperature_celsius: Math.round((afternoon ? 66 : 52) + 4 * Math.sin(step / 6)),
      throttled: brownOut ? 0x50005 : step < 30 ? 0x50000 : 0,
      memory_total_bytes: 3_978_264_576,
      memory_available_bytes: 2_700_000_000 + Math.round(200_000_000 * Math.cos(step / 9)),
      disk_total_bytes: disk.blocks * disk.bsize,
    });
  }
  await db.query(
    `INSERT INTO telemetry_history (device_id, at, software_version, uptime_seconds, outbox_depth,
       oldest_unsynced_age_seconds, disk_free_bytes, drivers, cpu_temperature_celsius, throttled,
       memory_total_bytes, memory_available_bytes, disk_total_bytes)
     SELECT r.device_id, r.at, r.software_version, r.uptime_seconds, r.outbox_depth,
       r.oldest_unsynced_age_seconds, r.disk_free_bytes, r.drivers, r.cpu_temperature_celsius, r.throttled,
       r.memory_total_bytes, r.memory_available_bytes, r.disk_total_bytes
     FROM jsonb_to_recordset($1::jsonb) AS r(device_id text, at timestamptz, software_version text,
       uptime_seconds bigint, outbox_depth integer, oldest_unsynced_age_seconds integer,
       disk_free_bytes bigint, drivers jsonb, cpu_temperature_celsius real, throttled bigint,
       memory_total_bytes bigint, memory_available_bytes bigint, disk_total_bytes bigint)`,
    [JSON.stringify(rows)],
  );
}

describe("the kiosk's computer and honest offline state on the dashboard (PostgreSQL, Mosquitto, chromium)", () => {
  const dir = scratchDir("spectra-fleet-health-");
  const root = new FakeHostRoot();
  let fleet: Fleet;
  let store: KioskStore;
  let agent: SyncAgent;
  let context: BrowserContext;
  let page: Page;
  let db: ReturnType<typeof sqlOf>;
  /** When the departed kiosk last said anything itself. */
  let lastReportAt = 0;

  const device = async (deviceId: string) =>
    (
      await db.query<{
        state: string | null;
        last_seen_at: Date;
        state_changed_at: Date | null;
        telemetry: Telemetry | null;
      }>("SELECT state, last_seen_at, state_changed_at, telemetry FROM devices WHERE device_id = $1", [
        deviceId,
      ])
    )[0];

  beforeAll(async () => {
    fleet = await startFleet();
    db = sqlOf(fleet.database.pool);
    store = openTestStore(join(dir.path, PI), PI);
    agent = startKioskAgent(store, PI, fleet.broker.url, SAMPLE_HEALTH, { host: fakeRaspberryPi(root) });

    // The departed kiosk: online with a Last Will, reports once, then its connection dies.
    const connectionId = newId();
    const meta = () => ({ messageId: newId(), sentAt: new Date().toISOString() });
    const will = encodeMessage(
      "state",
      GONE,
      { state: "offline", connectionId, reason: "connection-lost" },
      meta(),
    );
    const gone: MqttClient = await connectAsync(fleet.broker.url, {
      clientId: `test-gone-${newId().slice(-8)}`,
      protocolVersion: 5,
      reconnectPeriod: 0,
      will: { topic: will.topic, payload: Buffer.from(will.body), qos: 1, retain: true },
    });
    await publishAs(gone, "state", GONE, { state: "online", connectionId, reason: "connected" });
    await publishAs(gone, "telemetry", GONE, GONE_TELEMETRY);
    await until(
      async () => (await device(GONE))?.telemetry != null,
      "the departed kiosk's telemetry at central",
    );
    lastReportAt = Date.now();
    await until(async () => (await device(PI))?.telemetry?.host != null, "the Pi's health at central");
    // Long enough that "seen just now" would be a lie, then the connection drops unannounced.
    await sleep(3_000);
    gone.stream.destroy();
    await until(async () => (await device(GONE))?.state === "offline", "the Last Will at central");

    await seedDayOfHealth(db, PI);
    ({ context, page } = await launchChromium(dir.path));
    await page.goto(`${fleet.url}/sign-in`);
    await page.fill("#name", OPERATOR.name);
    await page.fill("#password", OPERATOR.password);
    await page.click('[data-test="sign-in-submit"]');
    await page.waitForSelector('[data-test="kiosks"]');
  }, 90_000);

  afterAll(async () => {
    await context?.close();
    await agent?.stop();
    store?.close();
    await fleet?.stop();
    root.remove();
    dir.remove();
  });

  it("keeps an offline kiosk's last sighting: the broker's Last Will is not the kiosk being seen", async () => {
    const gone = await device(GONE);
    expect(gone?.state).toBe("offline");
    expect(new Date(gone?.last_seen_at ?? 0).getTime()).toBeLessThanOrEqual(lastReportAt);
    // The Will itself arrived later; that is when it went offline.
    expect(new Date(gone?.state_changed_at ?? 0).getTime()).toBeGreaterThan(lastReportAt + 2_000);
  });

  it("marks everything of an offline kiosk as of its last report on the overview", async () => {
    await page.goto(`${fleet.url}/`);
    const row = page.locator(`tr[data-kiosk="${GONE}"]`);
    expect(await row.getAttribute("data-state")).toBe("offline");
    expect(await row.getAttribute("class")).toBe("stale");
    const lastSeen = (await row.locator('[data-test="last-seen"]').textContent()) ?? "";
    const seconds = /^(\d+) s ago$/.exec(lastSeen);
    expect(seconds === null || Number(seconds[1]) >= 3, `last seen "${lastSeen}"`).toBe(true);
    // Reader, printer and drawer: unknown while offline, with what they last said and when.
    for (const column of ["card-reader", "printer", "gpio"]) {
      const cell = row.locator(`td[data-device="${column}"]`);
      expect(await cell.locator('[data-test="health"]').getAttribute("data-value")).toBe("unknown");
      expect(await cell.textContent()).toMatch(
        /^unknown \(offline\) last reported connected as of \d{4}-\d\d-\d\d /,
      );
    }
    expect(await row.locator(".badge.ok").count()).toBe(0);
    expect(await row.locator('[data-test="records-waiting"] ~ [data-test="as-of"]').count()).toBe(1);
    expect(await row.textContent()).toContain("connection-lost");

    // The online kiosk's devices read as they are, with no "as of".
    const live = page.locator(`tr[data-kiosk="${PI}"]`);
    expect(await live.getAttribute("data-state")).toBe("online");
    expect(
      await live.locator('td[data-device="card-reader"] [data-test="health"]').getAttribute("data-value"),
    ).toBe("connected");
    expect(await live.locator('[data-test="as-of"]').count()).toBe(0);
    await screenshot(page, dir.path, "dashboard-offline");
  }, 30_000);

  it("says on an offline kiosk's page that what it shows is as of its last report", async () => {
    await page.goto(`${fleet.url}/kiosks/${GONE}`);
    expect(await page.textContent('[data-test="stale-notice"]')).toMatch(
      /^Offline: what follows is as of its last report, \d{4}-/,
    );
    const printer = page.locator('[data-test="device-health"][data-device="printer"]');
    expect(await printer.locator('[data-test="health"]').getAttribute("data-value")).toBe("unknown");
    expect(await printer.textContent()).toContain("unknown (offline)");
    expect(await page.locator('[data-test="computer"] h2 [data-test="as-of"]').count()).toBe(1);
    expect(await page.getAttribute('[data-test="cpu-temperature"]', "data-value")).toBe("48.3");
    expect(await page.textContent("main, body")).toContain("Was up for");
    await screenshot(page, dir.path, "dashboard-kiosk-offline");
  }, 30_000);

  it("shows the Pi's health on its page — temperature, throttling decoded, memory, addresses, OS — with its history", async () => {
    await page.goto(`${fleet.url}/kiosks/${PI}`);
    expect(await page.getAttribute('[data-test="cpu-temperature"]', "data-value")).toBe("61.8");
    expect(await page.getAttribute('[data-test="throttling"]', "data-value")).toBe("0x50005");
    const flags = await page
      .locator('[data-test="throttle-flag"]')
      .evaluateAll((nodes) => nodes.map((node) => node.getAttribute("data-flag")));
    expect(flags).toEqual(["underVoltageNow", "throttledNow", "underVoltageSinceBoot", "throttledSinceBoot"]);
    const computer = (await page.textContent('[data-test="computer"]')) ?? "";
    expect(computer).toContain("Raspberry Pi 4 Model B Rev 1.5");
    expect(computer).toContain("Debian GNU/Linux 13 (trixie)");
    expect(computer).toContain("6.12.25+rpt-rpi-v8");
    expect(computer).toContain("2.6 GiB of 3.7 GiB (70 %)");
    expect(await page.textContent('[data-test="address"]')).toBe("192.168.10.21");
    expect(await page.locator('[data-test="stale-notice"]').count()).toBe(0);
    expect(Number(await page.getAttribute('[data-test="chart-temperature"]', "data-points"))).toBeGreaterThan(
      100,
    );
    expect(Number(await page.getAttribute('[data-test="chart-memory"]', "data-points"))).toBeGreaterThan(100);
    expect(
      await page
        .locator('[data-test="throttle-strip"] rect title', { hasText: "under-voltage: yes" })
        .count(),
    ).toBeGreaterThan(0);
    await screenshot(page, dir.path, "dashboard-kiosk-health");
  }, 30_000);

  it("refuses telemetry whose health is out of bounds (a dead letter) and keeps what the kiosk had", async () => {
    const before = (await device(PI))?.telemetry;
    const hostile = await connectAsync(fleet.broker.url, {
      clientId: `test-hostile-${newId().slice(-8)}`,
      reconnectPeriod: 0,
    });
    const payload = {
      ...GONE_TELEMETRY,
      host: {
        ...GONE_TELEMETRY.host,
        cpuTemperatureCelsius: 1e9,
        addresses: [{ interface: "eth0", address: "<b>x</b>" }],
      },
    };
    const messageId = newId();
    await hostile.publishAsync(
      deviceTopic(PI, "up", "telemetry"),
      JSON.stringify({ schema: 1, messageId, deviceId: PI, sentAt: new Date().toISOString(), payload }),
      { qos: 1 },
    );
    await hostile.endAsync();
    await until(
      async () =>
        (await db.query("SELECT 1 FROM dead_letters WHERE message_id = $1", [messageId])).length === 1,
      "the refused telemetry as a dead letter",
    );
    const [letter] = await db.query<{ code: string; reason: string }>(
      "SELECT code, reason FROM dead_letters WHERE message_id = $1",
      [messageId],
    );
    expect(letter?.code).toBe(ErrorCodes.SYNC_MESSAGE_INVALID);
    expect(letter?.reason).toContain("cpuTemperatureCelsius");
    const after = (await device(PI))?.telemetry;
    expect(after?.host?.cpuTemperatureCelsius).not.toBe(1e9);
    expect(before?.host?.model).toBe("Raspberry Pi 4 Model B Rev 1.5");
    expect(after?.host?.model).toBe("Raspberry Pi 4 Model B Rev 1.5");
  }, 30_000);
});
