import { afterEach, describe, expect, it } from "vitest";
import { DEV_CARDS } from "../../src/ui/server/fixtures/dev-cards.js";
import { type KioskScreen, startKioskScreen } from "../helpers/kiosk-screen.js";
import { invoice } from "../helpers/payments.js";
import { textOf, waitForText } from "../helpers/staff-screen.js";

const SIMULATED_DRIVERS = {
  cardReader: { mode: "simulated" },
  scanner: { mode: "none" },
  gpio: { mode: "simulated", cashDrawer: { pin: 17 }, statusLight: { pin: 27 }, tamperSwitch: { pin: 22 } },
  printer: { mode: "simulated" },
  cashDrawerVia: "gpio",
};

const SESSIONS = invoice({
  id: "inv-c1",
  number: "3003",
  client: { id: "client-c1", firstName: "Cy", lastName: "Doe" },
  totalMinor: 12_000,
});

let screen: KioskScreen | null = null;
afterEach(async () => {
  await screen?.stop();
  screen = null;
});

/** The element the browser would hand a tap at the centre of `testId`'s box: is it that element? */
async function centreHits(kiosk: KioskScreen, testId: string): Promise<boolean> {
  return kiosk.page
    .getByTestId(testId)
    .first()
    .evaluate((element) => {
      const box = element.getBoundingClientRect();
      const hit = element.ownerDocument.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
      return hit !== null && (hit === element || element.contains(hit));
    });
}

describe("the status bar and the attract screen, in Chromium at 800×480", () => {
  it("laptop setup: the DEV button sits in the status bar and covers no key of the keyboard", async () => {
    screen = await startKioskScreen({ extra: { drivers: SIMULATED_DRIVERS } });
    const kiosk = screen;
    // The DEV button is there (simulated devices) and inside the status bar.
    await kiosk.page.getByTestId("status-bar").getByTestId("dev-open").waitFor();
    await kiosk.tap("start");
    await kiosk.waitForScreen("self.find");
    await kiosk.tap("field-lastName");
    const keys = await kiosk.page
      .locator('[data-testid^="key-"]')
      .evaluateAll((elements) => elements.map((element) => element.getAttribute("data-testid") ?? ""));
    expect(keys).toContain("key-Z");
    for (const key of keys) expect(await centreHits(kiosk, key), key).toBe(true);
    // Clicked as a person would (Playwright refuses a click another element would take).
    await kiosk.page.getByTestId("key-Z").click({ timeout: 3000 });
    await waitForText(kiosk, "field-lastName", "Z");
    await kiosk.shoot("ui-self-find-laptop");
    // The panel still opens, below the status bar, and swipes through the simulated reader.
    await kiosk.tap("dev-open");
    await kiosk.page.getByTestId("dev-panel").waitFor();
  }, 60_000);

  it("no card processor: the status bar and the attract screen say cards are not taken here", async () => {
    screen = await startKioskScreen({ extra: { processor: { kind: "manual" } } });
    const kiosk = screen;
    await waitForText(kiosk, "status-cards", "No card payments here");
    expect(await textOf(kiosk, "attract-cards")).toBe(
      "This kiosk does not take cards: please pay at the front desk.",
    );
    // Sync is a separate matter: this kiosk does not sync, and says so on its own.
    expect(await textOf(kiosk, "status-online")).toBe("Local");
    await kiosk.shoot("ui-self-attract-no-cards");
  }, 60_000);

  it("processor unreachable: after a charge finds it gone, both say cards are unavailable", async () => {
    screen = await startKioskScreen({ invoices: [SESSIONS], idleTimeoutSeconds: 10 });
    const kiosk = screen;
    expect(await kiosk.page.getByTestId("status-cards").count()).toBe(0);
    expect(await kiosk.page.getByTestId("attract-cards").count()).toBe(0);
    await kiosk.processor.close();

    await kiosk.tap("start");
    await kiosk.waitForScreen("self.find");
    await kiosk.typeKeys("3003");
    await kiosk.tap("field-lastName");
    await kiosk.typeKeys("DOE");
    await kiosk.tap("search");
    await kiosk.waitForScreen("self.summary");
    await kiosk.tap("pay");
    await kiosk.waitForScreen("self.amount");
    await kiosk.tap("pay-balance");
    await kiosk.waitForScreen("self.method");
    await kiosk.tap("method-card");
    await kiosk.waitForScreen("self.swipe");
    await kiosk.swipe(DEV_CARDS.approved);

    await waitForText(kiosk, "status-cards", "Card payments unavailable", 15_000);
    // Sync is another matter: this kiosk does not sync, and its own item says so unchanged.
    expect(await textOf(kiosk, "status-online")).toBe("Local");
    // The client walks away; once the screen times out, the next one is told before starting.
    await kiosk.waitForScreen("self.attract", 25_000);
    expect(await textOf(kiosk, "attract-cards")).toBe(
      "Card payments are unavailable right now: please pay at the front desk.",
    );
    await kiosk.shoot("ui-self-attract-cards-unavailable");
  }, 60_000);
});
