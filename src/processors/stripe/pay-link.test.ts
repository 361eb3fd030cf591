import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KIOSK_GRANT } from "../../../test/fixtures/stripe-test-cards.js";
import { expectKioskErrorAsync } from "../../../test/helpers/kiosk-error.js";
import { ErrorCodes } from "../../core/error-codes.js";
import { createMemoryLogger } from "../../core/logger.js";
import type { CardProcessor, PayLink, SaleRequest, Waker } from "../../payments/card-processor.js";
import { type RunningStripeSimulator, startStripeSimulator } from "../stripe-simulator/stripe-simulator.js";
import { KEY_METADATA } from "./charge-of.js";
import { stripeClient } from "./stripe-client.js";
import { stripeProcessor } from "./stripe-processor.js";

let sequence = 0;

/** A waker the test wakes, as central's notice would. */
function testWaker(): Waker & { wake(): void } {
  let wake = (): void => {};
  return {
    wait: (ms) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      }),
    wake: () => wake(),
  };
}

describe("pay on your phone through a Stripe Checkout Session", () => {
  let simulator: RunningStripeSimulator;
  let processor: CardProcessor;
  beforeAll(async () => {
    simulator = await startStripeSimulator();
    processor = stripeProcessor({
      stripe: stripeClient({
        apiKey: simulator.restrictedKey(KIOSK_GRANT),
        endpoint: { host: simulator.host, port: simulator.port, protocol: "http" },
        timeoutMs: 2_000,
      }),
      logger: createMemoryLogger(),
      timing: { pollMs: 20, collectTimeoutMs: 2_000 },
      // A long poll: only the waker (the webhook's notice) makes these payments known quickly.
      payLink: { lifetimeMinutes: 30, pollMs: 60_000 },
      lookupWindowHours: 48,
      currency: "USD",
    });
  });
  afterAll(() => simulator.close());

  const request = (
    minor: number,
    extra: Partial<Extract<SaleRequest["source"], { kind: "pay-link" }>> = {},
  ) => {
    const links: PayLink[] = [];
    const sale: SaleRequest = {
      idempotencyKey: `sale:phone-${process.pid}-${++sequence}`,
      amount: { minor, currency: "USD" },
      reference: { recordId: `rec-${sequence}`, deviceId: "kiosk-1" },
      source: { kind: "pay-link", description: "Invoice 1001", onLink: (link) => links.push(link), ...extra },
    };
    return { sale, links };
  };
  const payOnPage = (url: string, number = "4242424242424242") =>
    fetch(url, { method: "POST", body: new URLSearchParams({ number, exp: "12/34", cvc: "123" }) }).then(
      (r) => r.text(),
    );

  it("shows a page for the amount, and is paid when the client pays there", async () => {
    const waker = testWaker();
    const { sale, links } = request(6_400, { wake: waker });
    const charged = processor.sale(sale);
    await expect.poll(() => links.length).toBe(1);
    const link = links[0] as PayLink;
    expect(link.url).toMatch(/\/c\/pay\/cs_test_/);
    expect(Date.parse(link.expiresAt) - Date.now()).toBeGreaterThan(30 * 60_000);
    expect(await (await fetch(link.url)).text()).toContain("$64.00");
    expect(await payOnPage(link.url, "4000000000000002")).toContain("declined");
    expect(await payOnPage(link.url)).toContain("complete");
    waker.wake();
    const charge = await charged;
    expect(charge).toMatchObject({
      amount: { minor: 6_400, currency: "USD" },
      idempotencyKey: sale.idempotencyKey,
    });
    expect(simulator.books.paymentIntents.get(charge.chargeId)?.metadata[KEY_METADATA]).toBe(
      sale.idempotencyKey,
    );
    expect(await processor.lookup(sale.idempotencyKey)).toMatchObject({ chargeId: charge.chargeId });
  });

  it("closes the page when the client leaves: nothing charged, and the page refuses a late payment", async () => {
    const cancel = new AbortController();
    const { sale, links } = request(2_000, { cancel: cancel.signal, wake: testWaker() });
    const charged = processor.sale(sale);
    await expect.poll(() => links.length).toBe(1);
    cancel.abort();
    await expectKioskErrorAsync(() => charged, ErrorCodes.CARD_COLLECTION_CANCELLED);
    const late = await fetch((links[0] as PayLink).url, {
      method: "POST",
      body: new URLSearchParams({ number: "4242424242424242", exp: "12/34", cvc: "1" }),
    });
    expect(late.status).toBe(410);
    expect(await processor.lookup(sale.idempotencyKey)).toBeNull();
  });

  it("after a crash, a look-up by key closes a page still open, so no phone can pay it later", async () => {
    const { sale, links } = request(4_500, { wake: testWaker() });
    void processor.sale(sale).catch(() => undefined);
    await expect.poll(() => links.length).toBe(1);
    expect(await processor.lookup(sale.idempotencyKey)).toBeNull();
    expect((await fetch((links[0] as PayLink).url)).status).toBe(410);
  });

  it("an abandoned page expires and records nothing", async () => {
    const waker = testWaker();
    const { sale, links } = request(3_000, { wake: waker });
    const charged = processor.sale(sale);
    await expect.poll(() => links.length).toBe(1);
    simulator.advance(31 * 60);
    waker.wake();
    await expectKioskErrorAsync(() => charged, ErrorCodes.CARD_COLLECTION_CANCELLED);
    expect(await processor.lookup(sale.idempotencyKey)).toBeNull();
  });
});
