import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMemoryLogger } from "../../core/logger.js";
import { type RunningStripeSimulator, startStripeSimulator } from "../stripe-simulator/stripe-simulator.js";
import { ReaderWatch } from "./reader-watch.js";
import { stripeClient } from "./stripe-client.js";

describe("the smart reader's watch", () => {
  let simulator: RunningStripeSimulator;
  let stripe: Stripe;
  let watch: ReaderWatch;
  beforeAll(async () => {
    simulator = await startStripeSimulator();
    stripe = stripeClient({
      apiKey: simulator.secretKey,
      endpoint: { host: simulator.host, port: simulator.port, protocol: "http" },
      timeoutMs: 1_000,
    });
    watch = new ReaderWatch(stripe, simulator.readers[0] as string, createMemoryLogger());
  });
  afterAll(async () => {
    await watch.stop();
    await simulator.close();
  });

  it("says ready, offline, busy with someone else's payment, and ready while collecting its own", async () => {
    const reader = simulator.readers[0] as string;
    expect(watch.status()).toBe("unknown");
    await watch.look();
    expect(watch.status()).toBe("ready");
    simulator.setReaderStatus(reader, "offline");
    await watch.look();
    expect(watch.status()).toBe("offline");
    simulator.setReaderStatus(reader, "online");
    const intent = await stripe.paymentIntents.create({
      amount: 1_000,
      currency: "usd",
      allowed_payment_method_types: ["card_present"],
    });
    await stripe.terminal.readers.processPaymentIntent(reader, { payment_intent: intent.id });
    await watch.look();
    expect(watch.status()).toBe("busy");
    watch.begin(reader);
    await watch.look();
    expect(watch.status()).toBe("ready");
    watch.end(reader);
    await stripe.terminal.readers.cancelAction(reader);
    await watch.look();
    expect(watch.status()).toBe("ready");
  });

  it("says unknown when Stripe cannot be asked", async () => {
    const away = new ReaderWatch(
      stripeClient({
        apiKey: "sk_test_nobody12345",
        endpoint: { host: "127.0.0.1", port: 9, protocol: "http" },
        timeoutMs: 500,
        maxNetworkRetries: 0,
      }),
      "tmr_absent",
      createMemoryLogger(),
    );
    await away.look();
    expect(away.status()).toBe("unknown");
  });
});
