import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type BrowserContext, chromium, type Locator, type Page } from "playwright-core";

/** Debian's chromium; never a downloaded browser. */
export const CHROMIUM = process.env.SPECTRA_CHROMIUM ?? "/usr/bin/chromium";

/** No sandbox (root in a container), nothing phoning home, no first-run dialogs. */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
];

/** A headless chromium with a fresh profile in `dir`. */
export async function launchChromium(
  dir: string,
  viewport = { width: 1280, height: 900 },
  extraArgs: readonly string[] = [],
  /** The browser's own time zone (default: the machine's), e.g. to prove the page does not use it. */
  timezoneId?: string,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await chromium.launchPersistentContext(join(dir, "chromium-profile"), {
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_ARGS, ...extraArgs],
    viewport,
    ...(timezoneId ? { timezoneId } : {}),
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page };
}

/**
 * Saves a full-page screenshot: to docs/screenshots when SPECTRA_SCREENSHOTS names that folder
 * (`SPECTRA_SCREENSHOTS=docs/screenshots npx vitest run test/dashboard/browser.test.ts`), else to
 * the test's scratch folder.
 */
export async function screenshot(page: Page, dir: string, name: string): Promise<string> {
  const folder = process.env.SPECTRA_SCREENSHOTS ?? join(dir, "screenshots");
  mkdirSync(folder, { recursive: true });
  const path = join(folder, `${name}.png`);
  await page.screenshot({ path, fullPage: true, animations: "disabled" });
  return path;
}

/** Saves a screenshot of one part of a page (a card), where `screenshot` saves whole pages. */
export async function screenshotOf(part: Locator, dir: string, name: string): Promise<string> {
  const folder = process.env.SPECTRA_SCREENSHOTS ?? join(dir, "screenshots");
  mkdirSync(folder, { recursive: true });
  const path = join(folder, `${name}.png`);
  await part.screenshot({ path, animations: "disabled" });
  return path;
}
