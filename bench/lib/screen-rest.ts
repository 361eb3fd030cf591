import type { Page } from "playwright-core";
import { shownSeq } from "./paint-timing.js";

/**
 * Waits until the screen has rested — no new message from the kiosk — for `restMs`, and says how long
 * that took. After a run of payments the status bar keeps changing while the outbox drains to
 * central (its "waiting to sync" count), and each change restarts the screen's collection at rest
 * (src/ui/web/rest-collect.ts): a memory sample taken then measures a kiosk still busy, not one at
 * rest. Gives up after `patienceMs` (the result says so), so a screen that never rests is measured
 * as it is.
 */
export async function screenRested(
  page: Page,
  restMs: number,
  patienceMs = 180_000,
): Promise<{ waitedMs: number; rested: boolean }> {
  const started = Date.now();
  let seq = await shownSeq(page);
  let since = Date.now();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const now = await shownSeq(page);
    if (now !== seq) {
      seq = now;
      since = Date.now();
    }
    if (Date.now() - since >= restMs) return { waitedMs: Date.now() - started, rested: true };
    if (Date.now() - started >= patienceMs) return { waitedMs: Date.now() - started, rested: false };
  }
}
