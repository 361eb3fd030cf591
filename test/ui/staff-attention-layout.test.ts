import { afterEach, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/core/clock.js";
import { createMemoryLogger } from "../../src/core/logger.js";
import { openKioskStore } from "../../src/store/kiosk-store.js";
import { cardDraft } from "../helpers/card-payments.js";
import { type KioskScreen, startKioskScreen } from "../helpers/kiosk-screen.js";
import { cashPayment, invoice } from "../helpers/payments.js";
import { MANAGER_PIN, signIn } from "../helpers/staff-screen.js";
import { ledgerOn, SETTINGS } from "../helpers/store.js";

const DEVICE = "kiosk-attention-layout";
/** A client with a long name, so the line's text is as wide as it gets. */
const PLAN = invoice({
  id: "inv-al1",
  number: "9001-LONG-INVOICE",
  totalMinor: 40_000,
  client: { id: "client-al1", firstName: "Maximiliana", lastName: "Wolfeschlegelsteinhausen-Bergerdorff" },
});

/**
 * Every kind of item with actions, due by the time the test runs: two card future payments whose
 * saved card declined (Retry card, Charge another card, Paid elsewhere, Cancel — the longest row),
 * one whose card needs the client (with a long payment link), and cash and check ones (Collect,
 * Paid elsewhere, Cancel).
 */
function itemsWithActions(databaseFile: string): string[] {
  const clock = fixedClock("2026-11-20T17:00:00Z");
  const store = openKioskStore({ path: databaseFile, deviceId: DEVICE, clock, logger: createMemoryLogger() });
  try {
    const ledger = ledgerOn(store, { ...SETTINGS, deviceId: DEVICE, processorKind: "gateway" }, clock);
    const staff = { kind: "staff", staffId: "mgr" } as const;
    const due = { invoiceId: PLAN.id, futurePayment: true, dueDate: "2026-11-25" };
    const cards = [9_999, 8_888].map(
      (amountMinor) =>
        ledger.record(
          cardDraft(amountMinor, { ...due, methodFields: { type: "card", entryMode: "keyed" } }),
          staff,
        ).id,
    );
    for (const recordId of cards) {
      store.transact("a declined collection try", () =>
        store.collections.add({
          recordId,
          attempt: 1,
          at: "2026-11-25T15:00:00.000Z",
          outcome: "PROCESSOR_INSUFFICIENT_FUNDS",
          nextTryAt: null,
        }),
      );
    }
    // A card that needs the client: its payment page's link, as long as Stripe Checkout's are.
    const needsClient = ledger.record(
      cardDraft(3_333, { ...due, methodFields: { type: "card", entryMode: "keyed" } }),
      staff,
    ).id;
    store.transact("a try that needs the client", () =>
      store.collections.add({
        recordId: needsClient,
        attempt: 1,
        at: "2026-11-25T15:00:00.000Z",
        outcome: "authentication_required",
        nextTryAt: null,
        payLink: `https://checkout.stripe.com/c/pay/cs_test_${"a1B2c3D4e5".repeat(6)}#${"fidkdWxOYHwnPyd1blpxYHZxWjA0".repeat(4)}`,
      }),
    );
    const cash = ledger.record(cashPayment(5_555, due), staff).id;
    const check = ledger.record(
      cashPayment(4_444, { ...due, methodId: "check", methodFields: { type: "check", checkNumber: "1" } }),
      staff,
    ).id;
    return [...cards, needsClient, cash, check];
  } finally {
    store.close();
  }
}

/** Every action button on the list whose box leaves the viewport, as "test id: left–right of width". */
async function outside(screen: KioskScreen): Promise<string[]> {
  const width = screen.page.viewportSize()?.width ?? 0;
  const found: string[] = [];
  for (const button of await screen.page.locator('[data-testid="attention-list"] button').all()) {
    const box = await button.boundingBox();
    const id = (await button.getAttribute("data-testid")) ?? "?";
    if (!box) found.push(`${id}: not shown`);
    else if (box.x < 0 || box.x + box.width > width)
      found.push(`${id}: ${Math.round(box.x)}–${Math.round(box.x + box.width)} of ${width}`);
  }
  return found;
}

/**
 * Needs attention's action buttons stay inside the screen: at the kiosk's 800×480 (a line with four
 * actions wraps them), and on the larger 1280×800 panel. In Chromium against the kiosk process.
 */
describe("Needs attention's action buttons fit the screen, in Chromium", () => {
  let screen: KioskScreen | undefined;
  afterEach(async () => {
    await screen?.stop();
    screen = undefined;
  });

  for (const viewport of [
    { width: 800, height: 480 },
    { width: 1280, height: 800 },
  ]) {
    it(`keeps every action inside ${viewport.width}×${viewport.height}`, async () => {
      let ids: string[] = [];
      const kiosk = await startKioskScreen({
        deviceId: DEVICE,
        invoices: [PLAN],
        viewport,
        prepareData: (_dir, databaseFile) => {
          ids = itemsWithActions(databaseFile);
        },
      });
      screen = kiosk;
      await signIn(kiosk, MANAGER_PIN);
      await kiosk.tap("home-attention");
      await kiosk.waitForScreen("staff.attention");
      for (const id of ids) await kiosk.page.getByTestId(`attention-${id}`).waitFor();
      const [card] = ids;
      // The longest row is there: four actions on a failed card collection.
      for (const action of ["retry-saved-card", "charge-another-card", "collected-elsewhere", "cancel"]) {
        await kiosk.page.getByTestId(`${action}-${card}`).waitFor();
      }
      expect(await kiosk.page.locator('[data-testid="attention-list"] button').count()).toBe(16);
      const fits = async (language: string): Promise<void> => {
        expect({ language, outside: await outside(kiosk) }).toEqual({ language, outside: [] });
        // Nor does the page scroll sideways.
        expect(
          await kiosk.page.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth",
          ),
        ).toBe(true);
      };
      await kiosk.shoot(`ui-staff-attention-${viewport.width}`);
      await fits("en");
      // Spanish labels are longer.
      await kiosk.tap("locale");
      await kiosk.page.waitForFunction("document.documentElement.lang === 'es-US'");
      await kiosk.shoot(`ui-staff-attention-${viewport.width}-es`);
      await fits("es");
    }, 60_000);
  }
});
