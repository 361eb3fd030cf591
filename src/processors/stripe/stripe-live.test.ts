/**
 * The opt-in live run: with STRIPE_TEST_SECRET_KEY set (a test-mode secret key, `sk_test_…`), the
 * processor contract and a simulated smart reader run against Stripe's test mode itself, through the
 * same processor the kiosk runs. Without it these tests do not run (and say so); nothing here moves
 * real money: Stripe refuses a test-mode key anything live.
 */
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PAGE_CARD, STRIPE_TEST_METHOD } from "../../../test/fixtures/stripe-test-cards.js";
import { launchChromium } from "../../../test/helpers/dashboard-browser.js";
import { expectKioskErrorAsync } from "../../../test/helpers/kiosk-error.js";
import { scratchDir } from "../../../test/helpers/kiosk-store.js";
import { ErrorCodes } from "../../core/error-codes.js";
import { createMemoryLogger } from "../../core/logger.js";
import type { CardProcessor, ReaderProgress } from "../../payments/card-processor.js";
import { describeProcessorContract } from "../processor-contract.test-helpers.js";
import { answerLosingClient } from "./answer-losing-client.test-helpers.js";
import { KEY_METADATA } from "./charge-of.js";
import { stripeClient } from "./stripe-client.js";
import { stripeProcessor } from "./stripe-processor.js";

const KEY = process.env.STRIPE_TEST_SECRET_KEY ?? "";
const LIVE = KEY.startsWith("sk_test_");

const processorFor = (httpClient?: Stripe.HttpClient): CardProcessor =>
  stripeProcessor({
    stripe: stripeClient({
      apiKey: KEY,
      timeoutMs: 20_000,
      maxNetworkRetries: httpClient ? 0 : 2,
      ...(httpClient ? { httpClient } : {}),
    }),
    logger: createMemoryLogger(),
    timing: { pollMs: 1_000, collectTimeoutMs: 60_000 },
    lookupWindowHours: 2,
    currency: "USD",
  });

describe.runIf(LIVE)("live, against Stripe's test mode (STRIPE_TEST_SECRET_KEY)", () => {
  describeProcessorContract("the Stripe processor against Stripe's test mode", async () => {
    const stripe = new Stripe(KEY, { maxNetworkRetries: 2 });
    const browserDir = scratchDir("spectra-stripe-live-");
    return {
      integrated: true,
      processor: processorFor(),
      currency: "USD",
      card: (behaviour) => ({ kind: "token", token: STRIPE_TEST_METHOD[behaviour] }),
      saleWithLostAnswer: async (request) => {
        const losing = processorFor(
          answerLosingClient((method, path) => method === "POST" && path === "/v1/payment_intents"),
        );
        const error = await losing.sale(request).then(
          () => new Error("the answer was not lost"),
          (failure: unknown) => failure,
        );
        return { error, sent: request };
      },
      chargesWithKey: async (key) => {
        let count = 0;
        const since = Math.floor(Date.now() / 1000) - 3_600;
        for await (const intent of stripe.paymentIntents.list({ created: { gte: since }, limit: 100 })) {
          if (intent.metadata[KEY_METADATA] === key && intent.status === "succeeded") count += 1;
        }
        return count;
      },
      // Stripe's own hosted page, typed in Chromium as staff would.
      keyOnHostedPage: async (entry, behaviour) => {
        const { context, page } = await launchChromium(browserDir.path);
        try {
          await page.goto(entry.url);
          await page.fill("#cardNumber", PAGE_CARD[behaviour]);
          await page.fill("#cardExpiry", "12 / 34");
          await page.fill("#cardCvc", "123");
          if (await page.locator("#billingName").count()) await page.fill("#billingName", "Spectra Test");
          if (await page.locator("#billingPostalCode").count())
            await page.fill("#billingPostalCode", "62701");
          await page.click(".SubmitButton");
          await page
            .waitForURL((url) => !url.toString().startsWith(entry.url), { timeout: 30_000 })
            .catch(() => undefined);
        } finally {
          await context.close();
        }
      },
      close: async () => browserDir.remove(),
    };
  });

  describe("a simulated smart reader in Stripe's test mode", () => {
    // Made in beforeAll: without the key this block is collected, never run.
    let stripe: Stripe;
    let reader: string;
    beforeAll(async () => {
      stripe = new Stripe(KEY, { maxNetworkRetries: 2 });
      const location = await stripe.terminal.locations.create({
        display_name: "Spectra live test",
        address: {
          line1: "1 Main Street",
          city: "Springfield",
          state: "IL",
          postal_code: "62701",
          country: "US",
        },
      });
      const made = await stripe.terminal.readers.create({
        registration_code: "simulated-wpe",
        location: location.id,
        label: "Spectra live test reader",
      });
      reader = made.id;
    }, 60_000);
    afterAll(async () => {
      if (reader) await stripe.terminal.readers.del(reader).catch(() => undefined);
    });

    const tapped = async (minor: number, number: string) => {
      const steps: ReaderProgress[] = [];
      const key = `sale:live-reader-${Date.now()}-${minor}`;
      const charged = processorFor().sale({
        idempotencyKey: key,
        amount: { minor, currency: "USD" },
        reference: { recordId: key.slice(5), deviceId: "kiosk-live" },
        source: { kind: "reader", readerId: reader, progress: (step) => steps.push(step) },
      });
      await expect.poll(() => steps, { timeout: 30_000 }).toContain("waiting-for-card");
      await stripe.testHelpers.terminal.readers.presentPaymentMethod(reader, {
        type: "card_present",
        card_present: { number },
      });
      return charged;
    };

    it("takes a tapped card, and declines one with the issuer's reason", async () => {
      const charge = await tapped(1_200, "4242424242424242");
      expect(charge).toMatchObject({ amount: { minor: 1_200, currency: "USD" }, card: { last4: "4242" } });
      await expectKioskErrorAsync(
        () => tapped(1_300, "4000000000009995"),
        ErrorCodes.PROCESSOR_INSUFFICIENT_FUNDS,
      );
    }, 120_000);
  });
});

/**
 * The kiosk's restricted key, live: with STRIPE_TEST_SECRET_KEY and STRIPE_TEST_KIOSK_KEY (a test-mode
 * restricted key `rk_test_…` made in Stripe's Dashboard with the permissions docs/operations.md lists),
 * the kiosk's key takes a payment but Stripe refuses it a refund with its 403 naming the permission,
 * as the simulator does. Restricted keys cannot be made through the API, hence the second variable.
 */
const KIOSK_KEY = process.env.STRIPE_TEST_KIOSK_KEY ?? "";
describe.runIf(LIVE && KIOSK_KEY.startsWith("rk_test_"))(
  "live: the kiosk's restricted key (STRIPE_TEST_KIOSK_KEY)",
  () => {
    it("pays with the studio's card on file but may not refund", async () => {
      const full = new Stripe(KEY, { maxNetworkRetries: 2 });
      const paid = await full.paymentIntents.create({
        amount: 500,
        currency: "usd",
        payment_method: "pm_card_visa",
        allowed_payment_method_types: ["card"],
        confirm: true,
      } as Stripe.PaymentIntentCreateParams);
      const kiosk = new Stripe(KIOSK_KEY, { maxNetworkRetries: 0 });
      const refused = await kiosk.refunds
        .create({ payment_intent: paid.id })
        .catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(Stripe.errors.StripePermissionError);
      expect((refused as Stripe.errors.StripePermissionError).statusCode).toBe(403);
      expect((refused as Error).message).toMatch(/rak_refund_write/);
    }, 60_000);
  },
);
