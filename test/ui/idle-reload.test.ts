import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_CARDS } from "../../src/ui/server/fixtures/dev-cards.js";
import { type KioskScreen, startKioskScreen } from "../helpers/kiosk-screen.js";
import { invoice } from "../helpers/payments.js";

const IDLE_SECONDS = 10;

describe("the touchscreen's idle timeout and reloads, in Chromium", () => {
  let screen: KioskScreen;

  beforeAll(async () => {
    screen = await startKioskScreen({
      deviceId: "kiosk-ui-idle",
      idleTimeoutSeconds: IDLE_SECONDS,
      invoices: [
        invoice({
          id: "inv-3001",
          number: "3001",
          client: { id: "cl-3", firstName: "Ada", lastName: "Lovelace" },
          lines: [{ description: "Headshots", quantity: 1, amountMinor: 12_000 }],
          totalMinor: 12_000,
        }),
        invoice({
          id: "inv-3002",
          number: "3002",
          client: { id: "cl-3", firstName: "Ada", lastName: "Lovelace" },
          lines: [{ description: "Family portrait", quantity: 1, amountMinor: 18_000 }],
          totalMinor: 18_000,
        }),
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await screen?.stop();
  });

  const openInvoice = async (): Promise<void> => {
    await screen.tap("start");
    await screen.waitForScreen("self.find");
    await screen.typeKeys("3001");
    await screen.tap("field-lastName");
    await screen.typeKeys("LOVELACE");
    await screen.tap("search");
    await screen.waitForScreen("self.summary");
  };

  it("speaks Spanish when asked, and English again after", async () => {
    await screen.tap("locale");
    await screen.page.waitForFunction("document.documentElement.lang === 'es-US'");
    expect(await screen.page.locator(".attract-title").textContent()).toBe("Pague su factura");
    await screen.shoot("ui-self-attract-es");
    await screen.tap("locale");
    await screen.page.waitForFunction("document.documentElement.lang === 'en-US'");
    expect(await screen.page.locator(".attract-title").textContent()).toBe("Pay your invoice");
  });

  it("a browser reload brings back the same screen, mid-entry and mid-flow", async () => {
    await screen.tap("start");
    await screen.waitForScreen("self.find");
    await screen.typeKeys("30");
    await screen.page.reload();
    await screen.waitForScreen("self.find");
    expect(await screen.page.getByTestId("field-invoiceNumber").textContent()).toContain("30");
    await screen.typeKeys("01");
    await screen.tap("field-lastName");
    await screen.typeKeys("LOVELACE");
    await screen.tap("search");
    await screen.waitForScreen("self.summary");
    await screen.page.reload();
    await screen.waitForScreen("self.summary");
    expect(await screen.page.getByTestId("client-name").textContent()).toBe("Ada Lovelace");
    await screen.tap("cancel");
    await screen.waitForScreen("self.attract");
  }, 60_000);

  it("a card being charged keeps its screen; a reload during it shows it still processing", async () => {
    await openInvoice();
    await screen.tap("pay");
    await screen.waitForScreen("self.amount");
    await screen.tap("pay-balance");
    await screen.tap("method-card");
    await screen.waitForScreen("self.swipe");
    await screen.swipe(DEV_CARDS.slow);
    await screen.page.waitForSelector('[data-phase="processing"]');
    await screen.shoot("ui-self-processing");
    await screen.page.reload();
    await screen.waitForScreen("self.swipe");
    await screen.page.waitForSelector('[data-phase="processing"]');
    await screen.waitForScreen("self.receipt", 15_000);
    await screen.tap("no-receipt");
    await screen.waitForScreen("self.thank-you");
    await screen.tap("done");
    await screen.waitForScreen("self.attract");
  }, 60_000);

  it("the idle timeout warns with a countdown, then clears the screen of everything personal", async () => {
    await screen.tap("start");
    await screen.waitForScreen("self.find");
    await screen.typeKeys("3002");
    await screen.tap("field-lastName");
    await screen.typeKeys("LOVELACE");
    await screen.tap("search");
    await screen.waitForScreen("self.summary");
    const shown = Date.now();
    await screen.page.getByTestId("idle-overlay").waitFor({ timeout: IDLE_SECONDS * 1000 });
    const seconds = Number(await screen.page.getByTestId("idle-seconds").textContent());
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThanOrEqual(Math.floor(IDLE_SECONDS / 3));
    await screen.shoot("ui-self-idle-warning");
    await screen.waitForScreen("self.attract", (IDLE_SECONDS + 5) * 1000);
    expect(Date.now() - shown).toBeGreaterThanOrEqual((IDLE_SECONDS - 1) * 1000);
    const text = (await screen.page.locator("body").textContent()) ?? "";
    expect(text).not.toContain("Lovelace");
    expect(text).not.toContain("3002");
    expect(await screen.page.getByTestId("idle-overlay").count()).toBe(0);
    // The next client starts from an empty search.
    await screen.tap("start");
    await screen.waitForScreen("self.find");
    expect(await screen.page.getByTestId("field-invoiceNumber").textContent()).not.toContain("3002");
  }, 60_000);
});
