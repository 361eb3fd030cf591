import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REST_BEFORE_COLLECT_MS } from "../../src/ui/web/rest-collect.js";
import { launchChromium } from "../helpers/dashboard-browser.js";
import { type KioskScreen, startKioskScreen } from "../helpers/kiosk-screen.js";

/** Counts the screen's calls of V8's gc(), which the screen unit's --js-flags=--expose-gc gives it. */
const COUNT_COLLECTIONS = `(() => {
  const collect = window.gc;
  window.spectraCollections = 0;
  if (collect) window.gc = (options) => { window.spectraCollections += 1; collect(options); };
})()`;

// Without the flag (any other browser) the screen never calls it: src/ui/web/rest-collect.test.ts.
describe("the screen collects its garbage when it rests, in Chromium with the screen unit's --js-flags", () => {
  let screen: KioskScreen;

  beforeAll(async () => {
    screen = await startKioskScreen({
      deviceId: "kiosk-ui-rest-collect",
      launchBrowser: async (dir, viewport) => {
        const browser = await launchChromium(dir, viewport, ["--js-flags=--expose-gc"]);
        await browser.context.addInitScript(COUNT_COLLECTIONS);
        return browser;
      },
    });
  }, 60_000);

  afterAll(async () => {
    await screen?.stop();
  });

  const collections = (): Promise<number> => screen.page.evaluate("window.spectraCollections");
  it("not while screens change; once when a screen has rested", async () => {
    await new Promise((resolve) => setTimeout(resolve, REST_BEFORE_COLLECT_MS + 1000));
    const atStart = await collections();
    expect(atStart).toBe(1);
    // Screens changing faster than the rest time: garbage piles up, nothing is collected.
    for (let visit = 0; visit < 30; visit += 1) {
      await screen.tap("start");
      await screen.waitForScreen("self.find");
      await screen.typeKeys("1234");
      await screen.tap("back");
      await screen.waitForScreen("self.attract");
    }
    expect(await collections()).toBe(atStart);
    await new Promise((resolve) => setTimeout(resolve, REST_BEFORE_COLLECT_MS + 1000));
    expect(await collections()).toBe(atStart + 1);
    // What it frees is measured by `npm run bench -- ui --pi-class` (Blink's heap after 200 payments).
  }, 60_000);
});
