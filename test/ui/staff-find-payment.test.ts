import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/core/clock.js";
import { createMemoryLogger } from "../../src/core/logger.js";
import { openKioskStore } from "../../src/store/kiosk-store.js";
import { type KioskScreen, startKioskScreen } from "../helpers/kiosk-screen.js";
import { cashPayment, invoice } from "../helpers/payments.js";
import { CASHIER_PIN, signIn, waitForText } from "../helpers/staff-screen.js";
import { ledgerOn, SETTINGS } from "../helpers/store.js";
import { until } from "../helpers/wait.js";

const DEVICE = "kiosk-find-payment";
const ADA = invoice({
  id: "inv-p1",
  number: "P-2001",
  client: { id: "client-p1", firstName: "Ada", lastName: "Núñez" },
});
const ZOE = invoice({
  id: "inv-p2",
  number: "P-3001",
  client: { id: "client-p2", firstName: "Zoë", lastName: "Peña" },
});
const STUDIO = {
  name: "Spectra Test Studio",
  timeZone: "America/Denver",
  currency: "USD",
  locales: ["en-US"],
};

/** Payments taken on earlier days: Ada's twice (the later one at 03:00 UTC, still the 26th in Denver), Zoë's once. */
function takePayments(databaseFile: string): { adaOld: string; adaLate: string; zoe: string } {
  const clock = fixedClock("2026-11-20T17:00:00Z");
  const store = openKioskStore({ path: databaseFile, deviceId: DEVICE, clock, logger: createMemoryLogger() });
  try {
    for (const cached of [ADA, ZOE]) store.invoices.upsertInvoice(cached, clock.now().toISOString());
    const ledger = ledgerOn(store, { ...SETTINGS, deviceId: DEVICE }, clock);
    const pay = (amountMinor: number, invoiceId: string): string =>
      ledger.record(cashPayment(amountMinor, { invoiceId }), { kind: "staff", staffId: "csh" }).id;
    const adaOld = pay(4_000, ADA.id);
    clock.set("2026-11-22T18:00:00Z");
    const zoe = pay(6_000, ZOE.id);
    clock.set("2026-11-27T03:00:00Z");
    const adaLate = pay(5_000, ADA.id);
    return { adaOld, adaLate, zoe };
  } finally {
    store.close();
  }
}

describe("Find a payment by invoice number or client name, on the staff screen in Chromium", () => {
  let screen: KioskScreen;
  let ids: { adaOld: string; adaLate: string; zoe: string };
  const paper = () => screen.printer?.printed ?? Buffer.alloc(0);
  const lines = () =>
    screen.page
      .locator('[data-testid="record-list"] .record-line')
      .evaluateAll((found) => found.map((line) => line.getAttribute("data-testid")));

  beforeAll(async () => {
    screen = await startKioskScreen({
      deviceId: DEVICE,
      invoices: [ADA, ZOE],
      printerOnPty: { codePage: "cp858" },
      extra: { studio: STUDIO },
      // The screen's machine set to another zone: times still read on the studio's clock.
      browserTimeZone: "Asia/Tokyo",
      prepareData: (_dir, databaseFile) => {
        ids = takePayments(databaseFile);
      },
    });
    await signIn(screen, CASHIER_PIN);
  }, 60_000);
  afterAll(async () => {
    await screen?.stop();
  });

  it("finds a client's payments without accents or case, newest first, dated and timed in the studio's zone", async () => {
    await screen.tap("home-find-payment");
    await screen.waitForScreen("staff.find-payment");
    await screen.typeKeys("NUNEZ");
    await waitForText(screen, "find-text", "NUNEZ");
    await screen.tap("find");
    await screen.page.getByTestId(`record-${ids.adaLate}`).waitFor();
    expect(await lines()).toEqual([`record-${ids.adaLate}`, `record-${ids.adaOld}`]);
    const late = ((await screen.page.getByTestId(`record-${ids.adaLate}`).textContent()) ?? "").replace(
      /\s+/g,
      " ",
    );
    // 03:00 UTC on the 27th is 8:00 PM on the 26th in Denver (noon in Tokyo, where the browser is).
    for (const part of ["11/26/26", "8:00 PM", "P-2001", "Ada Núñez", "Cash", "$50.00"])
      expect(late).toContain(part);
    expect(late).not.toContain("12:00 PM");
    await screen.shoot("ui-staff-find-payment");
  }, 30_000);

  it("finds by part of an invoice number, and prints a found payment's receipt again, marked REPRINT", async () => {
    await screen.tap("find-edit");
    for (let key = 0; key < 5; key += 1) await screen.tap("key-backspace");
    await screen.typeKeys("3001");
    await screen.tap("find");
    await screen.page.getByTestId(`record-${ids.zoe}`).waitFor();
    expect(await lines()).toEqual([`record-${ids.zoe}`]);
    expect(await screen.page.getByTestId(`record-${ids.zoe}`).textContent()).toContain("Zoë Peña");

    await screen.tap(`reprint-${ids.zoe}`);
    await screen.page.waitForSelector('[data-testid="receipt-status"][data-state="printed"]', {
      timeout: 10_000,
    });
    await until(() => paper().includes(Buffer.from(ids.zoe)), "the copy to be printed", 10_000);
    expect(paper().includes(Buffer.from("REPRINT"))).toBe(true);
  }, 30_000);

  it("says when nothing matches", async () => {
    await screen.tap("find-edit");
    for (let key = 0; key < 4; key += 1) await screen.tap("key-backspace");
    await screen.typeKeys("ZZ");
    await waitForText(screen, "find-text", "ZZ");
    await screen.tap("find");
    await screen.page.getByText("No payment on this kiosk matches.").waitFor();
    expect(await lines()).toEqual([]);
  }, 30_000);
});
