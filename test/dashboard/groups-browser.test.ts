import type { MqttClient } from "mqtt";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KioskStore } from "../../src/store/kiosk-store.js";
import type { SyncAgent } from "../../src/sync/agent/sync-agent.js";
import type { Command } from "../../src/sync/protocol/messages.js";
import { sqlOf } from "../helpers/central-queries.js";
import {
  type Fleet,
  mqttClient,
  OPERATOR,
  publishAs,
  startFleet,
  startKioskAgent,
} from "../helpers/dashboard.js";
import { launchChromium, screenshot } from "../helpers/dashboard-browser.js";
import { openTestStore, scratchDir } from "../helpers/kiosk-store.js";
import { until } from "../helpers/wait.js";

/**
 * Groups in Chromium: studio and tags set on a kiosk's page, the list grouped by studio (1280 px
 * and a phone's width), and a command to a studio confirmed and followed kiosk by kiosk.
 * `SPECTRA_SCREENSHOTS=docs/screenshots` keeps the screenshots for the docs.
 */
const PLACES: Record<string, [string, string]> = {
  "kiosk-lakeside-01": ["Lakeside Portraits", "front-desk, mall"],
  "kiosk-lakeside-02": ["Lakeside Portraits", "mall"],
  "kiosk-harbor-01": ["Harbor Studio", "front-desk"],
  "kiosk-harbor-02": ["Harbor Studio", "school-photos"],
};
const KIOSKS = Object.keys(PLACES);
const PHONE = { width: 390, height: 844 };

describe("groups in the browser: studio and tags, the list grouped, a command to a studio", () => {
  let fleet: Fleet;
  let context: BrowserContext;
  let page: Page;
  let impersonator: MqttClient;
  const dir = scratchDir();
  const stores: KioskStore[] = [];
  const agents = new Map<string, SyncAgent>();
  const commands = new Map<string, Command>();

  beforeAll(async () => {
    fleet = await startFleet();
    for (const deviceId of KIOSKS) {
      const store = openTestStore(`${dir.path}/${deviceId}`, deviceId);
      stores.push(store);
      const agent = startKioskAgent(store, deviceId, fleet.broker.url);
      agent.on("command", (command) => commands.set(deviceId, command));
      agents.set(deviceId, agent);
    }
    impersonator = await mqttClient(fleet.broker.url);
    const db = sqlOf(fleet.database.pool);
    await until(
      async () =>
        (await db.query("SELECT 1 FROM devices WHERE state = 'online' AND telemetry IS NOT NULL")).length ===
        KIOSKS.length,
      "four kiosks online with telemetry",
    );
    ({ context, page } = await launchChromium(dir.path));
    await page.goto(`${fleet.url}/sign-in`);
    await page.fill("#name", OPERATOR.name);
    await page.fill("#password", OPERATOR.password);
    await page.click('[data-test="sign-in-submit"]');
    await page.waitForSelector('[data-test="fleet-view"]');
  }, 90_000);

  afterAll(async () => {
    await context?.close();
    await impersonator?.endAsync();
    for (const agent of agents.values()) await agent.stop();
    for (const store of stores) store.close();
    await fleet?.stop();
    dir.remove();
  });

  it("sets each kiosk's studio and tags on its page", async () => {
    for (const [deviceId, [studio, tags]] of Object.entries(PLACES)) {
      await page.goto(`${fleet.url}/kiosks/${deviceId}`);
      await page.fill('[data-test="placement-studio"]', studio);
      await page.fill('[data-test="placement-tags"]', tags);
      await page.click('[data-test="placement-save"]');
      await page.waitForSelector('[data-test="placement-tag"]');
      expect(await page.textContent('[data-test="placement-now"]')).toContain(studio);
    }
    // The card alone: the kiosk's page is long.
    const shot = await screenshot(page, dir.path, "dashboard-kiosk-placement");
    await page.locator("#placement").screenshot({ path: shot });
    // A refused value says why, with its code, and leaves the kiosk as it was.
    await page.fill('[data-test="placement-tags"]', "mall, <b>bold</b>");
    await page.click('[data-test="placement-save"]');
    expect(await page.textContent('[data-test="notice"]')).toContain("[DASHBOARD_GROUP_INVALID]");
    expect(await page.locator('[data-test="placement-tag"]').count()).toBe(1);
  }, 90_000);

  it("lists the fleet grouped by studio, searched, at 1280 px and on a phone", async () => {
    await page.goto(`${fleet.url}/`);
    await page.selectOption('[data-test="fleet-group"]', "studio");
    await page.click('[data-test="fleet-apply"]');
    await page.waitForSelector('[data-test="kiosk-group"]');
    expect(new URL(page.url()).searchParams.get("group")).toBe("studio");
    const groups = await page
      .locator('[data-test="kiosk-group"]')
      .evaluateAll((sections) => sections.map((section) => section.getAttribute("data-group")));
    expect(groups).toEqual(["Harbor Studio", "Lakeside Portraits"]);
    await screenshot(page, dir.path, "dashboard-groups-overview");

    await page.fill('[data-test="fleet-search"]', "mall");
    await page.click('[data-test="fleet-apply"]');
    await page.waitForSelector('[data-test="shown-count"]');
    const rows = await page
      .locator('[data-test="kiosk-row"]')
      .evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-kiosk")));
    expect(rows).toEqual(["kiosk-lakeside-01", "kiosk-lakeside-02"]);

    await page.setViewportSize(PHONE);
    await page.goto(`${fleet.url}/?group=studio`);
    // The page itself never scrolls sideways on a phone: only a table inside its card does.
    expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(
      PHONE.width,
    );
    await screenshot(page, dir.path, "dashboard-groups-overview-phone");
    await page.goto(`${fleet.url}/groups?studio=Lakeside+Portraits`);
    expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(
      PHONE.width,
    );
    await screenshot(page, dir.path, "dashboard-groups-phone");
    await page.setViewportSize({ width: 1280, height: 900 });
  }, 90_000);

  it("sends a command to a studio after confirming, and follows each kiosk's outcome", async () => {
    // A kiosk placed in the studio at provisioning that has not connected yet: central refuses its part.
    await sqlOf(fleet.database.pool).query(
      "INSERT INTO kiosk_placements (device_id, studio, tags, set_by, set_at) VALUES ('kiosk-lakeside-03', 'Lakeside Portraits', '{}', 'installer', now())",
    );
    await page.goto(`${fleet.url}/?group=studio`);
    await page.click('[data-test="kiosk-group"][data-group="Lakeside Portraits"] [data-test="act-on-group"]');
    await page.waitForSelector('[data-test="chosen-group"][data-name="Lakeside Portraits"]');
    expect(await page.locator('[data-test="group-member"]').count()).toBe(3);
    await screenshot(page, dir.path, "dashboard-groups");
    await page.click('[data-test="group-command-send-diagnostics"]');
    await page.waitForSelector('[data-test="confirm-group-command"]');
    await screenshot(page, dir.path, "dashboard-group-confirm");
    await page.click('[data-test="confirm"]');
    await page.waitForSelector('[data-test="group-action-parts"]');
    await until(
      () => commands.has("kiosk-lakeside-01") && commands.has("kiosk-lakeside-02"),
      "both kiosks' commands",
    );
    expect(commands.has("kiosk-harbor-01")).toBe(false);
    const first = commands.get("kiosk-lakeside-01") as Command;
    await publishAs(impersonator, "commandResult", "kiosk-lakeside-01", {
      commandId: first.commandId,
      outcome: "completed",
      code: null,
      detail: null,
      data: { software: "9.8.7" },
      at: new Date().toISOString(),
    });
    const second = commands.get("kiosk-lakeside-02") as Command;
    await publishAs(impersonator, "commandResult", "kiosk-lakeside-02", {
      commandId: second.commandId,
      outcome: "failed",
      code: "DIAGNOSTICS_FAILED",
      detail: "[DIAGNOSTICS_FAILED] disk unreadable",
      data: null,
      at: new Date().toISOString(),
    });
    // The page follows by itself (it reloads while an outcome can still change).
    await page.waitForSelector(
      '[data-test="part"][data-kiosk="kiosk-lakeside-01"][data-outcome="completed"]',
      {
        timeout: 30_000,
      },
    );
    await page.waitForSelector('[data-test="part"][data-kiosk="kiosk-lakeside-02"][data-outcome="failed"]', {
      timeout: 30_000,
    });
    expect(
      await page
        .locator('[data-test="part"][data-kiosk="kiosk-lakeside-03"][data-outcome="refused"]')
        .count(),
    ).toBe(1);
    expect(await page.textContent('[data-test="group-action-parts"]')).toContain("[DASHBOARD_KIOSK_UNKNOWN]");
    await screenshot(page, dir.path, "dashboard-group-results");
  }, 90_000);
});
