import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type KioskScreen, startKioskScreen } from "../helpers/kiosk-screen.js";
import { invoice } from "../helpers/payments.js";

describe("smoke", () => {
  let screen: KioskScreen;
  beforeAll(async () => {
    screen = await startKioskScreen({
      invoices: [invoice({ id: "inv-7", number: "A-7", totalMinor: 12_500 })],
    });
  });
  afterAll(async () => {
    await screen?.stop();
  });
  it("shows attract", async () => {
    await screen.shoot("smoke-attract");
    await screen.tap("start");
    await screen.waitForScreen("self.find");
    await screen.typeKeys("A-7");
    await screen.tap("field-lastName");
    await screen.typeKeys("NUNEZ");
    await screen.tap("search");
    await screen.waitForScreen("self.summary");
    await screen.shoot("smoke-summary");
    expect(await screen.screenName()).toBe("self.summary");
  });
});
