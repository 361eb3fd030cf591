import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrorCodes } from "../../src/core/error-codes.js";
import { newId } from "../../src/core/ids.js";
import { sqlOf } from "../helpers/central-queries.js";
import { type Fleet, mqttClient, OPERATOR, publishAs, startFleet } from "../helpers/dashboard.js";
import { launchChromium, screenshot } from "../helpers/dashboard-browser.js";
import { scratchDir } from "../helpers/kiosk-store.js";
import { sampleInvoice, sampleRecord } from "../helpers/sync-fixtures.js";
import { until } from "../helpers/wait.js";

const KIOSK = "kiosk-front-desk";
const REFUSED_AMOUNT = 4242;
const PHONE = { width: 390, height: 844 };
/** How far the page is wider than the window (run in the page). */
const OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth";

/** Dead letters worked off in Debian's chromium: dismiss with a reason, replay after a fix, at 1280 px and on a phone. */
describe("dead letters in the browser", () => {
  const dir = scratchDir("spectra-dead-letters-browser-");
  let fleet: Fleet;
  let context: BrowserContext;
  let page: Page;
  const invoice = sampleInvoice();
  const refused = sampleRecord(invoice, KIOSK, REFUSED_AMOUNT, { note: "paid at the counter" });
  const conflicting = sampleRecord(invoice, KIOSK, 1250);
  const db = () => sqlOf(fleet.database.pool);
  const letterId = async (where: string, params: unknown[]) =>
    String((await db().query<{ id: unknown }>(`SELECT id FROM dead_letters WHERE ${where}`, params))[0]?.id);
  const row = (id: string) => `[data-test="dead-letter"][data-id="${id}"]`;

  beforeAll(async () => {
    fleet = await startFleet();
    await db().query(
      `ALTER TABLE payment_records ADD CONSTRAINT no_${REFUSED_AMOUNT} CHECK (amount_minor <> ${REFUSED_AMOUNT})`,
    );
    const mqtt = await mqttClient(fleet.broker.url);
    await publishAs(mqtt, "records", KIOSK, { records: [refused] });
    await publishAs(mqtt, "records", KIOSK, { records: [conflicting] });
    await publishAs(mqtt, "records", KIOSK, { records: [{ ...conflicting, note: "edited on the kiosk" }] });
    await mqtt.publishAsync(`spectra/v1/kiosks/${KIOSK}/up/records`, `{"schema":1,"messageId":"${newId()}"`, {
      qos: 1,
    });
    await mqtt.publishAsync(`spectra/v1/kiosks/${KIOSK}/up/records`, `[${"1,".repeat(40_000)}1]`, { qos: 1 });
    await mqtt.endAsync();
    await until(
      async () => (await db().query("SELECT 1 FROM dead_letters")).length === 4,
      "four dead letters",
    );
    ({ context, page } = await launchChromium(dir.path));
    await page.goto(`${fleet.url}/sign-in`);
    await page.fill("#name", OPERATOR.name);
    await page.fill("#password", OPERATOR.password);
    await page.click('[data-test="sign-in-submit"]');
    await page.waitForSelector('[data-test="signed-in-as"]');
  }, 90_000);

  afterAll(async () => {
    await context?.close();
    await fleet?.stop();
    dir.remove();
  });

  it("dismisses with a reason, and replays a refused record once the database takes it", async () => {
    await page.goto(`${fleet.url}/dead-letters`);
    await page.waitForSelector('[data-test="dead-letters"]');
    expect(await page.locator('[data-test="dead-letter"]').count()).toBe(4);
    expect(await page.evaluate<number>(OVERFLOW)).toBeLessThanOrEqual(0);
    const refusedId = await letterId("record_id = $1", [refused.id]);
    const notJson = await letterId("code = $1", [ErrorCodes.SYNC_MESSAGE_NOT_JSON]);
    const tooBig = await letterId("payload_bytes > octet_length(payload)", []);
    // A cut excerpt offers no Replay, only Dismiss.
    expect(await page.locator(`${row(tooBig)} [data-test="not-replayable"]`).textContent()).toContain(
      "only an excerpt was kept",
    );
    expect(await page.locator(`${row(tooBig)} [data-test="replay"]`).count()).toBe(0);
    await screenshot(page, dir.path, "dashboard-dead-letters-open");

    // Dismiss without a reason: the browser does not send it; with one, it leaves the open list.
    await page.click(`${row(notJson)} [data-test="dismiss"]`);
    expect(await page.locator(`${row(notJson)}`).getAttribute("data-status")).toBe("open");
    await page.fill(
      `${row(notJson)} [data-test="dismiss-reason"]`,
      "Test publisher's half message; nothing lost",
    );
    await page.click(`${row(notJson)} [data-test="dismiss"]`);
    await page.waitForSelector('[data-test="notice"]');
    expect(await page.textContent('[data-test="notice"]')).toBe(`Dead letter #${notJson} dismissed.`);
    expect(await page.locator(row(notJson)).count()).toBe(0);

    // Replay before the fix: refused again, with the code and the new reason; still open.
    await page.click(`${row(refusedId)} [data-test="replay"]`);
    await page.waitForSelector('[data-test="notice"]');
    const failed = await page.textContent('[data-test="notice"]');
    expect(failed).toContain(`[${ErrorCodes.DEAD_LETTER_REPLAY_FAILED}]`);
    expect(failed).toContain(`no_${REFUSED_AMOUNT}`);
    expect(await page.locator(`${row(refusedId)} [data-test="replay-attempts"]`).textContent()).toContain(
      "Replayed 1 time",
    );
    await screenshot(page, dir.path, "dashboard-dead-letters-replay-refused");

    await db().query(`ALTER TABLE payment_records DROP CONSTRAINT no_${REFUSED_AMOUNT}`);
    await page.click(`${row(refusedId)} [data-test="replay"]`);
    await page.waitForSelector('[data-test="notice"].ok, [data-test="notice"].warn');
    expect(await page.textContent('[data-test="notice"]')).toContain(
      `Dead letter #${refusedId} replayed: stored.`,
    );
    expect(await page.locator(row(refusedId)).count()).toBe(0);
    expect(await db().query("SELECT amount_minor FROM payment_records WHERE id = $1", [refused.id])).toEqual([
      { amount_minor: String(REFUSED_AMOUNT) },
    ]);

    await page.selectOption("#d-status", "resolved");
    await page.click('form.filters button[type="submit"]');
    await page.waitForSelector(`${row(refusedId)}[data-status="replayed"]`);
    expect(await page.locator(`${row(notJson)} [data-test="letter-resolution"]`).textContent()).toBe(
      "Test publisher's half message; nothing lost",
    );
    await screenshot(page, dir.path, "dashboard-dead-letters-resolved");
  }, 60_000);

  it("fits a phone's width", async () => {
    await page.setViewportSize(PHONE);
    await page.goto(`${fleet.url}/dead-letters?status=all`);
    await page.waitForSelector('[data-test="dead-letters"]');
    const overflow = await page.evaluate<number>(OVERFLOW);
    expect(overflow).toBeLessThanOrEqual(0);
    const button = await page.locator('[data-test="dismiss"]').first().boundingBox();
    expect(button && button.x + button.width).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, dir.path, "dashboard-dead-letters-phone");
  }, 30_000);
});
