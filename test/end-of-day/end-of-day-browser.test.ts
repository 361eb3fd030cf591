import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { displayAmount } from "../../src/central/dashboard/fleet/money-text.js";
import type { Checkout } from "../../src/checkout/checkout.js";
import type { SyncAgent } from "../../src/sync/agent/sync-agent.js";
import { sqlOf } from "../helpers/central-queries.js";
import { testCheckout } from "../helpers/checkout.js";
import { type Fleet, OPERATOR, startFleet, startKioskAgent } from "../helpers/dashboard.js";
import { launchChromium, screenshot } from "../helpers/dashboard-browser.js";
import { scratchDir } from "../helpers/kiosk-store.js";
import { cashPayment, manualCardPayment, STAFF } from "../helpers/payments.js";
import { type TestStore, testStore } from "../helpers/store.js";
import { until } from "../helpers/wait.js";

const FRONT = "kiosk-front-desk";
const SECOND = "kiosk-studio-two";
const STUDIO = { name: "Estudio Peñalolén", timeZone: "America/Denver" };
/** The test stores' clock: 2026-11-26T17:00:00Z, 10:00 in Denver, so the studio's day is the 26th. */
const DAY = "2026-11-26";

interface CsvRow {
  section: string;
  kiosk: string;
  method: string;
  records: string;
  amount: string;
  currency: string;
  amount_minor: string;
  time: string;
  staff: string;
  detail: string;
}

/** The CSV column a page cell shows, as the page shows it. */
const cellOf = (row: CsvRow, column: string): string => {
  if (column === "amountMinor")
    return row.amount_minor === "" ? "" : displayAmount(row.amount_minor, row.currency);
  return row[column as keyof CsvRow];
};

/**
 * The end-of-day page and its CSV in Debian's chromium, over real PostgreSQL and Mosquitto: two
 * kiosks take payments, one counts its drawer and closes its day with a Z report, and the page
 * shows totals per method and kiosk, the over/short, and which kiosk closed — and the CSV, parsed
 * back, says the same.
 */
describe("the end-of-day page of a studio (chromium, PostgreSQL, Mosquitto, two kiosks)", () => {
  const dir = scratchDir("spectra-end-of-day-");
  let fleet: Fleet;
  const kiosks: { store: TestStore; checkout: Checkout; agent: SyncAgent }[] = [];
  let context: BrowserContext;
  let page: Page;
  const db = () => sqlOf(fleet.database.pool);

  beforeAll(async () => {
    fleet = await startFleet();
    // The client the kiosks' invoice belongs to, in central's catalog (an accented name).
    await db().query(
      `INSERT INTO clients (id, first_name, last_name, version, change_seq, updated_at)
       VALUES ('client-1', 'Ada', 'Núñez', 1, nextval('catalog_change_seq'), now())`,
    );
    for (const deviceId of [FRONT, SECOND]) {
      const store = testStore({ deviceId });
      const checkout = await testCheckout(store);
      const agent = startKioskAgent(store, deviceId, fleet.broker.url);
      agent.reportConfig({
        version: null,
        settings: {},
        appliedAt: new Date().toISOString(),
        refused: null,
        studio: STUDIO,
      });
      kiosks.push({ store, checkout, agent });
    }
    const [front, second] = kiosks as [(typeof kiosks)[0], (typeof kiosks)[0]];
    front.store.ledger.record(
      cashPayment(12_000, { methodFields: { type: "cash", amountTenderedMinor: 12_000 } }),
      STAFF,
    );
    front.store.ledger.record(manualCardPayment(5_000), STAFF);
    front.checkout.countDrawer(11_950, "mgr");
    front.checkout.closeDay("mgr");
    second.store.ledger.record(
      cashPayment(3_000, { methodFields: { type: "cash", amountTenderedMinor: 5_000 } }),
      STAFF,
    );
    second.checkout.countDrawer(3_100, "csh");
    await until(async () => {
      const [row] = await db().query<Record<string, unknown>>(
        `SELECT (SELECT count(*) FROM payment_records) AS records, (SELECT count(*) FROM shift_reports WHERE kind = 'Z') AS z,
                (SELECT count(*) FROM drawer_counts) AS counts,
                (SELECT count(*) FROM devices WHERE studio_name = $1) AS studio`,
        [STUDIO.name],
      );
      return (
        Number(row?.records) === 3 &&
        Number(row?.z) === 1 &&
        Number(row?.counts) === 2 &&
        Number(row?.studio) === 2
      );
    }, "both kiosks' day at central");

    ({ context, page } = await launchChromium(dir.path));
    await page.goto(`${fleet.url}/sign-in`);
    await page.fill("#name", OPERATOR.name);
    await page.fill("#password", OPERATOR.password);
    await page.click('[data-test="sign-in-submit"]');
    await page.waitForSelector('[data-test="signed-in-as"]');
  }, 90_000);

  afterAll(async () => {
    await context?.close();
    for (const kiosk of kiosks) {
      await kiosk.agent.stop();
      kiosk.store.dispose();
    }
    await fleet?.stop();
    dir.remove();
  });

  /** Every line of a section's table, as {column: text}. */
  const pageLines = (section: string) =>
    page.$$eval(`tr[data-test="day-line"][data-section="${section}"]`, (rows) =>
      rows.map((row) =>
        Object.fromEntries(
          [...row.querySelectorAll("td[data-col]")].map((cell) => [
            cell.getAttribute("data-col"),
            cell.textContent ?? "",
          ]),
        ),
      ),
    );

  it("shows totals per method and kiosk, the cash over/short, and which kiosk closed its day", async () => {
    await page.click('a[href="/end-of-day"]');
    await page.selectOption("#d-studio", STUDIO.name);
    await page.fill("#d-date", DAY);
    await page.click('[data-test="show-day"]');
    await page.waitForSelector('[data-test="day-studio"]');
    expect(await page.textContent('[data-test="day-zone"]')).toContain("America/Denver");

    expect(await pageLines("by method")).toEqual([
      { method: "Cash", detail: "cash", records: "2", amountMinor: "150.00 USD" },
      { method: "Credit Card", detail: "card", records: "1", amountMinor: "50.00 USD" },
    ]);
    expect(await pageLines("by kiosk")).toEqual([
      { kiosk: FRONT, records: "2", amountMinor: "170.00 USD" },
      { kiosk: SECOND, records: "1", amountMinor: "30.00 USD" },
    ]);
    const counts = await pageLines("drawer count");
    expect(counts.map((line) => [line.kiosk, line.amountMinor, line.time])).toEqual([
      [FRONT, "-0.50 USD", "2026-11-26 10:00:00 America/Denver"],
      [SECOND, "1.00 USD", "2026-11-26 10:00:00 America/Denver"],
    ]);
    expect(await pageLines("over/short")).toEqual([
      { records: "2", detail: "over", amountMinor: "0.50 USD" },
    ]);
    expect(await pageLines("day closed")).toEqual([
      {
        kiosk: FRONT,
        detail: "Z report",
        time: "2026-11-26 10:00:00 America/Denver",
        staff: "mgr",
        amountMinor: "170.00 USD",
      },
      { kiosk: SECOND, detail: "not closed", time: "", staff: "", amountMinor: "" },
    ]);
    expect(await page.textContent('[data-test="closed-summary"]')).toContain(`not closed: ${SECOND}`);
    const payments = await pageLines("payment");
    expect(payments).toHaveLength(3);
    expect(payments.every((line) => line.detail?.includes("Ada Núñez"))).toBe(true);
    await screenshot(page, dir.path, "dashboard-end-of-day");
  }, 60_000);

  it("exports the day as CSV with a byte-order mark that csv-parse reads back equal to the page", async () => {
    const download = page.waitForEvent("download");
    await page.click('[data-test="day-csv"]');
    const file = join(dir.path, "day.csv");
    await (await download).saveAs(file);
    const bytes = readFileSync(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(bytes, { bom: true, columns: true }) as CsvRow[];
    expect(rows.length).toBeGreaterThan(0);
    const sections = [...new Set(rows.map((row) => row.section))];
    expect(sections).toEqual([
      "by method",
      "by kiosk",
      "drawer count",
      "over/short",
      "day closed",
      "payment",
    ]);
    for (const section of sections) {
      const onPage = await pageLines(section);
      const inCsv = rows.filter((row) => row.section === section);
      expect(
        inCsv.map((row) =>
          Object.fromEntries(Object.keys(onPage[0] ?? {}).map((column) => [column, cellOf(row, column)])),
        ),
      ).toEqual(onPage);
    }
    // The accented client name came through intact.
    expect(rows.filter((row) => row.detail.includes("Ada Núñez"))).toHaveLength(3);
    expect(rows.find((row) => row.section === "over/short")?.amount).toBe("0.50");
  }, 60_000);

  it("finds payments by client name or invoice number on the payments page, times in the studio's zone", async () => {
    await page.goto(`${fleet.url}/payments`);
    await page.fill('[data-test="payment-search"]', "núñez");
    await page.click('[data-test="apply-filters"]');
    await page.waitForSelector('[data-test="records-count"][data-value="3"]');
    expect(await page.textContent('[data-test="created"]')).toBe("2026-11-26 10:00:00 America/Denver");
    await page.fill('[data-test="payment-search"]', "Nobody Else");
    await page.click('[data-test="apply-filters"]');
    await page.waitForSelector('[data-test="records-count"][data-value="0"]');
    await page.fill('[data-test="payment-search"]', "A-1001");
    await page.click('[data-test="apply-filters"]');
    await page.waitForSelector('[data-test="records-count"][data-value="3"]');
    await screenshot(page, dir.path, "dashboard-payment-search");
  }, 60_000);

  it("refuses a malformed day or an unknown studio with a coded error, and escapes what a kiosk named its studio", async () => {
    const bad = await page.goto(
      `${fleet.url}/end-of-day?studio=${encodeURIComponent(STUDIO.name)}&date=2026-02-30`,
    );
    expect(bad?.status()).toBe(400);
    expect(await page.textContent('[data-test="notice"]')).toContain("DASHBOARD_FILTER_INVALID");
    const unknown = await page.goto(
      `${fleet.url}/end-of-day.csv?studio=${encodeURIComponent("<script>x</script>")}&date=${DAY}`,
    );
    expect(unknown?.status()).toBe(400);
    expect(await page.content()).not.toContain("<script>x</script>");
    const search = await page.goto(`${fleet.url}/payments?q=${"x".repeat(81)}`);
    expect(search?.status()).toBe(400);
    expect(await page.textContent('[data-test="notice"]')).toContain("q: at most 80 characters");
  }, 60_000);
});
