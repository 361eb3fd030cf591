import { describe, expect, it } from "vitest";
import { PayLinkWakers } from "./pay-link-wakers.js";

const elapsed = async (work: Promise<void>): Promise<number> => {
  const start = Date.now();
  await work;
  return Date.now() - start;
};

describe("payment pages waited on", () => {
  it("wakes the wait on a page at once when its notice comes, and only that page's", async () => {
    const wakers = new PayLinkWakers();
    const paid = wakers.waker();
    const other = wakers.waker();
    paid.listen("cs_test_paid");
    other.listen("cs_test_other");
    const waiting = elapsed(paid.wait(5_000));
    const notWoken = other.wait(150);
    expect(wakers.wake("cs_test_paid")).toBe(true);
    expect(await waiting).toBeLessThan(1_000);
    expect(await elapsed(notWoken)).toBeGreaterThanOrEqual(100);
  });

  it("keeps a notice that comes between two waits, and forgets a page once done", async () => {
    const wakers = new PayLinkWakers();
    const waker = wakers.waker();
    waker.listen("cs_test_1");
    wakers.wake("cs_test_1");
    expect(await elapsed(waker.wait(5_000))).toBeLessThan(1_000);
    waker.forget();
    expect(wakers.wake("cs_test_1")).toBe(false);
  });
});
