import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addUser } from "../../src/central/dashboard/auth/users.js";
import { writeAudit } from "../../src/central/dashboard/control/audit-log.js";
import { type Fleet, OPERATOR, startFleet } from "../helpers/dashboard.js";
import { launchChromium, screenshot } from "../helpers/dashboard-browser.js";
import { scratchDir } from "../helpers/kiosk-store.js";

const VIEWER = { name: "front-desk@studio", password: "viewer password 2026" };

/**
 * How far the page reaches past the window, and the first table past its card or its scroller
 * (0: they fit, nothing scrolls sideways). A string: the tests are type-checked without the DOM's types.
 */
async function overflow(page: Page): Promise<{ page: number; table: number }> {
  return page.evaluate(`(() => {
    const table = document.querySelector("table");
    const card = table?.closest("section");
    const tableRight = table?.getBoundingClientRect().right ?? 0;
    const cardRight = card?.getBoundingClientRect().right ?? 0;
    const scroller = table?.parentElement;
    const scrolls = scroller ? getComputedStyle(scroller).overflowX === "auto" : false;
    return {
      page: document.documentElement.scrollWidth - window.innerWidth,
      table: Math.max(0, scrolls ? scroller.scrollWidth - scroller.clientWidth : Math.round(tableRight - cardRight)),
    };
  })()`);
}

describe("users and the audit log in Debian's chromium (1280 px and a phone)", () => {
  const dir = scratchDir("spectra-users-browser-");
  let fleet: Fleet;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    fleet = await startFleet();
    await addUser(fleet.central.db, VIEWER.name, VIEWER.password, new Date().toISOString(), {
      replace: false,
      role: "viewer",
    });
    // What makes the audit table wide: a long configuration, a command with arguments, a long kiosk id.
    const at = new Date().toISOString();
    await writeAudit(fleet.central.db, {
      at,
      userName: OPERATOR.name,
      action: "desired-config",
      deviceId: "kiosk-lakeside-portrait-studio-front-counter-02",
      commandId: null,
      detail: {
        version: 7,
        settings: {
          "studio.name": "Lakeside Portrait Studio — Front Counter",
          paymentMethods: [
            { id: "cash", type: "cash", opensDrawer: true },
            { id: "visa", type: "card", name: "Visa, Mastercard, American Express, Discover" },
          ],
          "limits.maxAmountMinor": 250000,
          "ui.idleTimeoutSeconds": 90,
        },
      },
    });
    await writeAudit(fleet.central.db, {
      at,
      userName: OPERATOR.name,
      action: "command",
      deviceId: "kiosk-lakeside-portrait-studio-front-counter-02",
      commandId: "01a21812-2923-71d5-adc0-0f357eabe7d6",
      detail: {
        name: "lock",
        args: { reason: "Screen cleaning before the evening sessions; back at 18:30" },
      },
    });
    ({ context, page } = await launchChromium(dir.path));
  });

  afterAll(async () => {
    await context?.close();
    await fleet?.stop();
    dir.remove();
  });

  const signIn = async (name: string, password: string) => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await context.clearCookies();
    await page.goto(`${fleet.url}/sign-in`);
    await page.fill("#name", name);
    await page.fill("#password", password);
    await page.click('[data-test="sign-in-submit"]');
    await page.waitForSelector('[data-test="signed-in-as"]');
  };

  it("an admin adds a user with a role, changes it and removes the user, from the Users page", async () => {
    await signIn(OPERATOR.name, OPERATOR.password);
    await page.click('nav a[href="/users"]');
    await page.waitForSelector('[data-test="users"]');
    await page.fill('[data-test="new-name"]', "shift-lead@studio");
    await page.selectOption("#new-role", "operator");
    await page.fill('[data-test="new-password"]', "shift lead password 2026");
    await page.click('[data-test="add-user-submit"]');
    await page.waitForSelector('[data-test="notice"]');
    expect(await page.textContent('[data-test="notice"]')).toContain("shift-lead@studio added");
    const row = page.locator('[data-test="user"][data-name="shift-lead@studio"]');
    expect(await row.getAttribute("data-role")).toBe("operator");

    await page.fill('[data-test="new-name"]', "temp@studio");
    await page.selectOption("#new-role", "viewer");
    await page.fill('[data-test="new-password"]', "temporary password 2026");
    await page.click('[data-test="add-user-submit"]');
    await page.waitForSelector('[data-test="user"][data-name="temp@studio"]');
    await page.locator('[data-test="user"][data-name="temp@studio"] select').selectOption("admin");
    await page.locator('[data-test="user"][data-name="temp@studio"] [data-test="change-role"]').click();
    await page.waitForSelector('[data-test="user"][data-name="temp@studio"][data-role="admin"]');
    await page.locator('[data-test="user"][data-name="temp@studio"] [data-test="remove-user"]').click();
    await page.waitForSelector('[data-test="confirm-remove"]');
    await screenshot(page, dir.path, "dashboard-user-remove");
    await page.click('[data-test="confirm"]');
    await page.waitForSelector('[data-test="notice"]');
    expect(await page.locator('[data-test="user"][data-name="temp@studio"]').count()).toBe(0);
    expect(await page.locator('[data-test="user"]').count()).toBe(3);
    expect((await overflow(page)).page).toBeLessThanOrEqual(0);
    await screenshot(page, dir.path, "dashboard-users");

    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await screenshot(page, dir.path, "dashboard-users-phone");
    expect((await overflow(page)).page, "no sideways scrolling of the page on a phone").toBeLessThanOrEqual(
      0,
    );
  }, 90_000);

  it("fits the audit log in 1280 px: long configurations and ids wrap inside their cells", async () => {
    await signIn(OPERATOR.name, OPERATOR.password);
    await page.goto(`${fleet.url}/audit`);
    await page.waitForSelector('[data-test="audit-entry"][data-action="command"]');
    // Screenshots first, so a failing run still shows what overflowed.
    await screenshot(page, dir.path, "dashboard-audit-1280");
    expect(await overflow(page)).toEqual({ page: 0, table: 0 });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await screenshot(page, dir.path, "dashboard-audit-phone");
    expect((await overflow(page)).page, "no sideways scrolling of the page on a phone").toBeLessThanOrEqual(
      0,
    );
  }, 60_000);

  it("a viewer sees no Users link, their role in the header, and a coded 403 at the Users page", async () => {
    await signIn(VIEWER.name, VIEWER.password);
    expect(await page.textContent('[data-test="role"]')).toBe("viewer");
    expect(await page.locator('nav a[href="/users"]').count()).toBe(0);
    const refused = await page.goto(`${fleet.url}/users`);
    expect(refused?.status()).toBe(403);
    expect(await page.getAttribute('[data-test="error"]', "data-code")).toBe("DASHBOARD_FORBIDDEN");
    await screenshot(page, dir.path, "dashboard-forbidden");
  }, 60_000);
});
