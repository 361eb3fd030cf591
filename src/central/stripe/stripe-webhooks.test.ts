import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMemoryLogger } from "../../core/logger.js";
import { startStripeSimulator } from "../../processors/stripe-simulator/stripe-simulator.js";
import type { Outgoing } from "../../sync/protocol/codec.js";
import { centralStripeConfigSchema } from "../config.js";
import { type RunningStripeWebhooks, startStripeWebhooks } from "./stripe-webhooks.js";

const SECRET = "whsec_test_central_0123456789";

function sessionEvent(type: string, session: Record<string, unknown>): string {
  return JSON.stringify({
    id: `evt_${Math.random().toString(36).slice(2)}`,
    object: "event",
    type,
    api_version: "2026-10-28.endive",
    created: Math.floor(Date.now() / 1000),
    data: { object: { object: "checkout.session", ...session } },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
  });
}

describe("central's endpoint for Stripe's webhooks", () => {
  let webhooks: RunningStripeWebhooks;
  const sent: Outgoing[] = [];
  let brokerTakes = true;
  beforeAll(async () => {
    webhooks = await startStripeWebhooks({
      config: centralStripeConfigSchema.parse({ webhook: { port: 0 }, webhookSecretFile: "/unused" }),
      secret: SECRET,
      publish: async (message) => {
        if (brokerTakes) sent.push(message);
        return brokerTakes;
      },
      logger: createMemoryLogger(),
    });
  });
  afterAll(() => webhooks.close());

  const post = (body: string, signature: string | null, url = webhooks.url) =>
    fetch(url, {
      method: "POST",
      body,
      headers: signature === null ? {} : { "stripe-signature": signature },
    });
  const signed = (body: string, secret = SECRET, timestamp?: number) =>
    Stripe.webhooks.generateTestHeaderString({ payload: body, secret, ...(timestamp ? { timestamp } : {}) });
  const paid = sessionEvent("checkout.session.completed", {
    id: "cs_test_paid1",
    payment_status: "paid",
    metadata: { device_id: "kiosk-phone-1", spectra_key: "sale:r1" },
  });

  it("passes a paid page on to its kiosk, and an expired one", async () => {
    sent.length = 0;
    expect((await post(paid, signed(paid))).status).toBe(200);
    const expired = sessionEvent("checkout.session.expired", {
      id: "cs_test_gone",
      payment_status: "unpaid",
      metadata: { device_id: "kiosk-phone-1" },
    });
    expect((await post(expired, signed(expired))).status).toBe(200);
    expect(sent.map((message) => message.topic)).toEqual([
      "spectra/v1/kiosks/kiosk-phone-1/down/payments/notice",
      "spectra/v1/kiosks/kiosk-phone-1/down/payments/notice",
    ]);
    expect(sent.map((message) => JSON.parse(String(message.body)).payload)).toEqual([
      { sessionId: "cs_test_paid1", status: "paid" },
      { sessionId: "cs_test_gone", status: "expired" },
    ]);
  });

  it("refuses a forged, altered, stale or unsigned event with 400, and tells no kiosk", async () => {
    sent.length = 0;
    expect((await post(paid, signed(paid, "whsec_someone_else_123"))).status).toBe(400);
    expect((await post(paid.replace("cs_test_paid1", "cs_test_paid2"), signed(paid))).status).toBe(400);
    expect((await post(paid, signed(paid, SECRET, Math.floor(Date.now() / 1000) - 3_600))).status).toBe(400);
    expect((await post(paid, null)).status).toBe(400);
    expect(sent).toEqual([]);
  });

  it("ignores events that are not a kiosk's page, and answers only POSTs on its path", async () => {
    sent.length = 0;
    const unpaid = sessionEvent("checkout.session.completed", {
      id: "cs_test_async",
      payment_status: "unpaid",
      metadata: { device_id: "kiosk-phone-1" },
    });
    const nobody = sessionEvent("checkout.session.completed", {
      id: "cs_test_x",
      payment_status: "paid",
      metadata: { device_id: "../etc" },
    });
    const other = JSON.stringify({ ...JSON.parse(paid), type: "payment_intent.succeeded" });
    for (const body of [unpaid, nobody, other]) expect((await post(body, signed(body))).status).toBe(200);
    expect(sent).toEqual([]);
    expect((await fetch(webhooks.url)).status).toBe(405);
    expect((await post(paid, signed(paid), webhooks.url.replace("/stripe/webhook", "/other"))).status).toBe(
      404,
    );
    const huge = "x".repeat(600 * 1024);
    expect((await post(huge, signed(huge))).status).toBe(413);
  });

  it("answers 503 when the broker does not take the notice, so Stripe sends it again", async () => {
    brokerTakes = false;
    try {
      expect((await post(paid, signed(paid))).status).toBe(503);
    } finally {
      brokerTakes = true;
    }
  });

  it("verifies what the Stripe simulator sends, signed as Stripe signs", async () => {
    const simulator = await startStripeSimulator();
    const notices: Outgoing[] = [];
    const logger = createMemoryLogger();
    const receiver = await startStripeWebhooks({
      config: centralStripeConfigSchema.parse({ webhook: { port: 0 }, webhookSecretFile: "/unused" }),
      secret: SECRET,
      publish: async (message) => {
        notices.push(message);
        return true;
      },
      logger,
    });
    try {
      const secret = simulator.addWebhookEndpoint(receiver.url, ["checkout.session.completed"]);
      await receiver.close();
      // The endpoint as configured with the secret Stripe gave for it.
      const configured = await startStripeWebhooks({
        config: centralStripeConfigSchema.parse({
          webhook: { port: Number(new URL(receiver.url).port) },
          webhookSecretFile: "/unused",
        }),
        secret,
        publish: async (message) => {
          notices.push(message);
          return true;
        },
        logger,
      });
      try {
        const stripe = new Stripe(simulator.secretKey, {
          host: simulator.host,
          port: simulator.port,
          protocol: "http",
        });
        const session = await stripe.checkout.sessions.create({
          mode: "payment",
          line_items: [
            {
              price_data: { currency: "usd", unit_amount: 1_000, product_data: { name: "Invoice 1" } },
              quantity: 1,
            },
          ],
          metadata: { device_id: "kiosk-phone-2" },
        });
        await fetch(session.url as string, {
          method: "POST",
          body: new URLSearchParams({ number: "4242424242424242", exp: "12/34", cvc: "1" }),
        });
        await expect
          .poll(() => notices.map((message) => JSON.parse(String(message.body)).payload), { timeout: 5_000 })
          .toContainEqual({ sessionId: session.id, status: "paid" });
      } finally {
        await configured.close();
      }
    } finally {
      await simulator.close();
    }
  });
});
