import { mkdirSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_CARDS } from "../../src/drivers/card-reader/fixtures/test-cards.js";
import { type KioskScreen, startKioskScreen } from "../helpers/kiosk-screen.js";

describe("a kiosk whose database cannot be trusted, in Chromium", () => {
  let screen: KioskScreen;

  beforeAll(async () => {
    screen = await startKioskScreen({
      deviceId: "kiosk-ui-broken",
      prepareData: (dataDir, databaseFile) => {
        mkdirSync(dataDir, { recursive: true });
        writeFileSync(
          databaseFile,
          "this is not an SQLite database, and it is long enough to be read as one".repeat(20),
        );
      },
      firstScreen: "common.out-of-service",
    });
  }, 60_000);

  afterAll(async () => {
    await screen?.stop();
  });

  it("shows Out of service with the store's error code, and takes no touch or card", async () => {
    expect(await screen.page.locator(".out-title").textContent()).toBe("Out of service");
    expect(await screen.page.getByTestId("out-of-service-reason").textContent()).toMatch(/^STORE_[A-Z_]+$/);
    await screen.shoot("ui-common-out-of-service");
    await screen.page.mouse.click(400, 240);
    await screen.swipe(TEST_CARDS.visa);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await screen.screenName()).toBe("common.out-of-service");
  });
});
