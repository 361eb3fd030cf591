import type { Page } from "playwright-core";

interface Paint {
  readonly seq: number;
  readonly name: string;
  readonly at: number;
}

/** The sequence number of the message the page shows now. */
export async function shownSeq(page: Page): Promise<number> {
  return Number(await page.evaluate("Number(document.body.dataset.seq ?? 0)"));
}

/** Resolves with the first paint of a message after `seq` (recorded by the page itself). */
export async function paintAfter(page: Page, seq: number, timeoutMs = 10_000): Promise<Paint> {
  const handle = await page.waitForFunction(
    `(window.spectraPaints ?? []).find((paint) => paint.seq > ${seq}) ?? false`,
    undefined,
    { timeout: timeoutMs, polling: 2 },
  );
  return (await handle.jsonValue()) as Paint;
}

/** Clicks the element in the page (no driver round trip in the timing) and returns when, by Date.now. */
export async function clickInPage(page: Page, selector: string): Promise<{ before: number; at: number }> {
  return (await page.evaluate(
    `(() => { const before = Number(document.body.dataset.seq ?? 0); const at = Date.now(); document.querySelector(${JSON.stringify(selector)}).click(); return { before, at }; })()`,
  )) as { before: number; at: number };
}
