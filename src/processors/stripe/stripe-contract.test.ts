import { PAGE_CARD, STRIPE_TEST_METHOD } from "../../../test/fixtures/stripe-test-cards.js";
import { createMemoryLogger } from "../../core/logger.js";
import type { CardSource } from "../../payments/card-processor.js";
import { describeProcessorContract } from "../processor-contract.test-helpers.js";
import { startStripeSimulator } from "../stripe-simulator/stripe-simulator.js";
import { answerLosingClient } from "./answer-losing-client.test-helpers.js";
import { KEY_METADATA } from "./charge-of.js";
import { stripeClient } from "./stripe-client.js";
import { stripeProcessor } from "./stripe-processor.js";

describeProcessorContract("the Stripe processor against the Stripe simulator", async () => {
  const simulator = await startStripeSimulator();
  const endpoint = { host: simulator.host, port: simulator.port, protocol: "http" as const };
  const build = (httpClient?: ReturnType<typeof answerLosingClient>) =>
    stripeProcessor({
      stripe: stripeClient({
        apiKey: simulator.secretKey,
        endpoint,
        timeoutMs: 2_000,
        maxNetworkRetries: httpClient ? 0 : 1,
        ...(httpClient ? { httpClient } : {}),
      }),
      logger: createMemoryLogger(),
      timing: { pollMs: 20, collectTimeoutMs: 2_000 },
      lookupWindowHours: 48,
      currency: "USD",
    });
  const processor = build();
  const losing = build(
    answerLosingClient((method, path) => method === "POST" && path === "/v1/payment_intents"),
  );
  return {
    integrated: true,
    processor,
    currency: "USD",
    card: (behaviour): CardSource => ({ kind: "token", token: STRIPE_TEST_METHOD[behaviour] }),
    saleWithLostAnswer: async (request) => {
      const error = await losing.sale(request).then(
        () => new Error("the answer was not lost"),
        (failure: unknown) => failure,
      );
      return { error, sent: request };
    },
    chargesWithKey: async (key) =>
      simulator.books
        .succeededCharges()
        .filter(
          ({ charge }) =>
            simulator.books.paymentIntents.get(String(charge.payment_intent))?.metadata[KEY_METADATA] === key,
        ).length,
    keyOnHostedPage: async (entry, behaviour) => {
      const posted = await fetch(entry.url, {
        method: "POST",
        body: new URLSearchParams({ number: PAGE_CARD[behaviour], exp: "11/31", cvc: "123" }),
      });
      const page = await posted.text();
      if (!page.includes("complete"))
        throw new Error(`the hosted page did not take the card: ${page.slice(0, 200)}`);
    },
    close: () => simulator.close(),
  };
});
