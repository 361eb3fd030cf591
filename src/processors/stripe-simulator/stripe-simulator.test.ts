import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningStripeSimulator, startStripeSimulator } from "./stripe-simulator.js";

/** The official SDK, pointed at the simulator as it would be at api.stripe.com. */
const sdk = (simulator: RunningStripeSimulator, key = simulator.secretKey): Stripe =>
  new Stripe(key, { host: simulator.host, port: simulator.port, protocol: "http", maxNetworkRetries: 0 });

async function failureOf(work: () => Promise<unknown>): Promise<Stripe.errors.StripeError> {
  try {
    await work();
  } catch (error) {
    if (error instanceof Stripe.errors.StripeError) return error;
    throw error;
  }
  throw new Error("expected the request to fail");
}

describe("the Stripe simulator, driven by the official SDK", () => {
  let simulator: RunningStripeSimulator;
  let stripe: Stripe;
  beforeAll(async () => {
    simulator = await startStripeSimulator({ readers: 2 });
    stripe = sdk(simulator);
  });
  afterAll(() => simulator.close());

  it("charges a test card and describes it by brand and last 4", async () => {
    const intent = await stripe.paymentIntents.create({
      amount: 1_250,
      currency: "usd",
      payment_method: "pm_card_visa",
      allowed_payment_method_types: ["card"],
      confirm: true,
      metadata: { record_id: "rec-1" },
      expand: ["latest_charge"],
    });
    expect(intent.status).toBe("succeeded");
    expect(intent.amount_received).toBe(1_250);
    const charge = intent.latest_charge as Stripe.Charge;
    expect(charge.payment_method_details?.card).toMatchObject({ brand: "visa", last4: "4242" });
    expect(charge.payment_method_details?.card?.authorization_code).toMatch(/^\d{6}$/);
    expect((await stripe.paymentIntents.retrieve(intent.id)).metadata).toEqual({ record_id: "rec-1" });
  });

  it.each([
    ["pm_card_chargeDeclined", "card_declined", "generic_decline"],
    ["pm_card_chargeDeclinedInsufficientFunds", "card_declined", "insufficient_funds"],
    ["pm_card_chargeDeclinedExpiredCard", "expired_card", "expired_card"],
    ["pm_card_chargeDeclinedLostCard", "card_declined", "lost_card"],
    ["pm_card_chargeDeclinedIncorrectCvc", "incorrect_cvc", "incorrect_cvc"],
  ])(
    "declines %s with Stripe's card error (%s, %s) and leaves nothing charged",
    async (method, code, decline) => {
      const error = await failureOf(() =>
        stripe.paymentIntents.create({ amount: 900, currency: "usd", payment_method: method, confirm: true }),
      );
      expect(error).toBeInstanceOf(Stripe.errors.StripeCardError);
      expect(error.statusCode).toBe(402);
      expect(error.code).toBe(code);
      expect(error.decline_code).toBe(decline);
      const intent = error.payment_intent as Stripe.PaymentIntent;
      expect(intent.status).toBe("requires_payment_method");
      expect(intent.amount_received).toBe(0);
      expect((await stripe.charges.retrieve(error.charge as string)).status).toBe("failed");
    },
  );

  it("answers a repeated idempotency key with the first answer and refuses it with other parameters", async () => {
    const key = `sale:${Date.now()}`;
    const params = { amount: 2_000, currency: "usd", payment_method: "pm_card_visa", confirm: true };
    const first = await stripe.paymentIntents.create(params, { idempotencyKey: key });
    const again = await stripe.paymentIntents.create(params, { idempotencyKey: key });
    expect(again.id).toBe(first.id);
    expect(again.lastResponse.headers["idempotent-replayed"]).toBe("true");
    expect(
      [...simulator.books.charges.values()].filter((charge) => charge.payment_intent === first.id),
    ).toHaveLength(1);
    const other = await failureOf(() =>
      stripe.paymentIntents.create({ ...params, amount: 2_001 }, { idempotencyKey: key }),
    );
    expect(other).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(other.message).toContain("same parameters");
    // A decline is kept too: the same key is declined again without a second try at the card.
    const declineKey = `${key}:declined`;
    const declined = {
      amount: 2_000,
      currency: "usd",
      payment_method: "pm_card_chargeDeclined",
      confirm: true,
    };
    const firstDecline = await failureOf(() =>
      stripe.paymentIntents.create(declined, { idempotencyKey: declineKey }),
    );
    const secondDecline = await failureOf(() =>
      stripe.paymentIntents.create(declined, { idempotencyKey: declineKey }),
    );
    expect(secondDecline.charge).toBe(firstDecline.charge);
  });

  it("refuses a restricted key what it was not granted, exactly as Stripe does", async () => {
    const kiosk = sdk(
      simulator,
      simulator.restrictedKey({ payment_intent: "write", terminal_reader: "write" }),
    );
    const paid = await kiosk.paymentIntents.create({
      amount: 3_000,
      currency: "usd",
      payment_method: "pm_card_visa",
      confirm: true,
    });
    expect(paid.status).toBe("succeeded");
    const refused = await failureOf(() => kiosk.refunds.create({ payment_intent: paid.id }));
    expect(refused).toBeInstanceOf(Stripe.errors.StripePermissionError);
    expect(refused.statusCode).toBe(403);
    expect(refused.message).toMatch(
      /^The provided key 'rk_test_\*+[A-Za-z0-9_-]{6}' does not have the required permissions for this endpoint on account 'acct_\w+'\. Having the 'rak_refund_write' permission would allow this request to continue\.$/,
    );
    expect([...simulator.books.refunds.values()].some((refund) => refund.payment_intent === paid.id)).toBe(
      false,
    );
    const unknown = await failureOf(() =>
      sdk(simulator, "sk_test_not_a_key_of_this_account").paymentIntents.list(),
    );
    expect(unknown).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect(unknown.message).toContain("Invalid API Key provided: sk_test_");
    expect(unknown.message).not.toContain("not_a_key_of_this");
  });

  it("refunds in part and in full, never beyond the charge", async () => {
    const paid = await stripe.paymentIntents.create({
      amount: 5_000,
      currency: "usd",
      payment_method: "pm_card_visa",
      confirm: true,
    });
    expect((await stripe.refunds.create({ payment_intent: paid.id, amount: 3_000 })).amount).toBe(3_000);
    const over = await failureOf(() => stripe.refunds.create({ payment_intent: paid.id, amount: 2_001 }));
    expect(over).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(over.code).toBe("amount_too_large");
    expect((await stripe.refunds.create({ payment_intent: paid.id })).amount).toBe(2_000);
    expect((await failureOf(() => stripe.refunds.create({ payment_intent: paid.id }))).code).toBe(
      "charge_already_refunded",
    );
    const listed = await stripe.refunds.list({ payment_intent: paid.id });
    expect(listed.data.map((refund) => refund.amount).sort()).toEqual([2_000, 3_000]);
  });

  it("collects a card-present payment on a simulated reader through its test helper", async () => {
    const reader = simulator.readers[0] as string;
    const intent = await stripe.paymentIntents.create({
      amount: 4_200,
      currency: "usd",
      allowed_payment_method_types: ["card_present"],
      capture_method: "automatic",
    });
    const handed = await stripe.terminal.readers.processPaymentIntent(reader, { payment_intent: intent.id });
    expect(handed.action).toMatchObject({ type: "process_payment_intent", status: "in_progress" });
    const busy = await failureOf(() =>
      stripe.terminal.readers.processPaymentIntent(reader, { payment_intent: intent.id }),
    );
    expect(busy.code).toBe("terminal_reader_busy");
    const presented = await stripe.testHelpers.terminal.readers.presentPaymentMethod(reader, {
      type: "card_present",
      card_present: { number: "5555555555554444" },
    });
    expect(presented.action?.status).toBe("succeeded");
    const paid = await stripe.paymentIntents.retrieve(intent.id, { expand: ["latest_charge"] });
    expect(paid.status).toBe("succeeded");
    const present = (paid.latest_charge as Stripe.Charge).payment_method_details?.card_present;
    expect(present).toMatchObject({ brand: "mastercard", last4: "4444", read_method: "contactless_emv" });
    expect(present?.receipt?.authorization_code).toMatch(/^\d{6}$/);
  });

  it("fails a reader's action with the issuer's reason, and cancels one", async () => {
    const reader = simulator.readers[1] as string;
    const intent = await stripe.paymentIntents.create({
      amount: 1_800,
      currency: "usd",
      allowed_payment_method_types: ["card_present"],
    });
    await stripe.terminal.readers.processPaymentIntent(reader, { payment_intent: intent.id });
    const declined = await stripe.testHelpers.terminal.readers.presentPaymentMethod(reader, {
      card_present: { number: "4000000000009995" },
    });
    expect(declined.action).toMatchObject({ status: "failed", failure_code: "card_declined" });
    expect(declined.action?.api_error).toMatchObject({ decline_code: "insufficient_funds" });
    expect((await stripe.paymentIntents.retrieve(intent.id)).status).toBe("requires_payment_method");
    // Terminal's test amounts: cents of .01 are declined with call_issuer.
    const byAmount = await stripe.paymentIntents.create({
      amount: 1_001,
      currency: "usd",
      allowed_payment_method_types: ["card_present"],
    });
    await stripe.terminal.readers.processPaymentIntent(reader, { payment_intent: byAmount.id });
    const called = await stripe.testHelpers.terminal.readers.presentPaymentMethod(reader, {});
    expect(called.action?.api_error).toMatchObject({ decline_code: "call_issuer" });
    // Handed the same intent again, then cancelled by staff: nothing charged.
    await stripe.terminal.readers.processPaymentIntent(reader, { payment_intent: intent.id });
    const cancelled = (await stripe.terminal.readers.cancelAction(reader)) as Stripe.Terminal.Reader;
    expect(cancelled.action).toMatchObject({ status: "failed", failure_code: "canceled" });
    expect((await stripe.paymentIntents.cancel(intent.id)).status).toBe("canceled");
    simulator.setReaderStatus(reader, "offline");
    const offline = await failureOf(() =>
      stripe.terminal.readers.processPaymentIntent(reader, { payment_intent: byAmount.id }),
    );
    expect(offline.code).toBe("terminal_reader_offline");
    expect(((await stripe.terminal.readers.retrieve(reader)) as Stripe.Terminal.Reader).status).toBe(
      "offline",
    );
    simulator.setReaderStatus(reader, "online");
  });

  it("saves a card to a customer and charges it off-session; one that needs authentication fails so", async () => {
    const customer = await stripe.customers.create({
      name: "Ana Núñez",
      metadata: { spectra_client_id: "client-7" },
    });
    const saved = await stripe.paymentMethods.attach("pm_card_visa", { customer: customer.id });
    expect(saved.customer).toBe(customer.id);
    const listed = await stripe.customers.listPaymentMethods(customer.id);
    expect(listed.data.map((method) => method.id)).toEqual([saved.id]);
    const paid = await stripe.paymentIntents.create({
      amount: 7_500,
      currency: "usd",
      customer: customer.id,
      payment_method: saved.id,
      off_session: true,
      confirm: true,
    });
    expect(paid.status).toBe("succeeded");
    const strict = await stripe.paymentMethods.attach("pm_card_authenticationRequired", {
      customer: customer.id,
    });
    const needsClient = await failureOf(() =>
      stripe.paymentIntents.create({
        amount: 7_500,
        currency: "usd",
        customer: customer.id,
        payment_method: strict.id,
        off_session: true,
        confirm: true,
      }),
    );
    expect(needsClient.code).toBe("authentication_required");
    expect((needsClient.payment_intent as Stripe.PaymentIntent).status).toBe("requires_payment_method");
    const found = await stripe.customers.search({ query: "metadata['spectra_client_id']:'client-7'" });
    expect(found.data.map((each) => each.id)).toEqual([customer.id]);
  });

  it("refuses hostile input with Stripe's invalid_request_error and changes nothing", async () => {
    const before = simulator.books.paymentIntents.size;
    for (const body of [
      "amount=100&currency=usd&metadata[__proto__][x]=1",
      "amount=100&currency=usd&a[b][c][d][e][f][g]=1",
      "amount=1.5&currency=usd",
      "amount=100&amount=200&currency=usd",
      `amount=100&currency=usd&metadata[k]=${"v".repeat(501)}`,
      "amount=100000000000&currency=usd",
    ]) {
      const response = await fetch(`${simulator.url}/v1/payment_intents`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${simulator.secretKey}`,
          "content-type": "application/x-www-form-urlencoded",
        },
        body,
      });
      expect(response.status, body).toBe(400);
      expect(((await response.json()) as { error: { type: string } }).error.type).toBe(
        "invalid_request_error",
      );
    }
    expect(simulator.books.paymentIntents.size).toBe(before);
  });
});

describe("Checkout Sessions and signed webhooks", () => {
  let simulator: RunningStripeSimulator;
  let stripe: Stripe;
  let receiver: Server;
  let secret: string;
  const received: { body: string; signature: string }[] = [];
  beforeAll(async () => {
    simulator = await startStripeSimulator();
    stripe = sdk(simulator);
    receiver = createServer((request, response) => {
      let body = "";
      request.on("data", (chunk: Buffer) => {
        body += chunk.toString();
      });
      request.on("end", () => {
        received.push({ body, signature: String(request.headers["stripe-signature"]) });
        response.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    secret = simulator.addWebhookEndpoint(
      `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/stripe`,
      ["checkout.session.completed", "checkout.session.expired"],
    );
  });
  afterAll(async () => {
    await simulator.close();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });

  const eventFor = async (type: string, sessionId: string): Promise<Stripe.Event> => {
    for (let wait = 0; wait < 100; wait += 1) {
      for (const delivery of received) {
        const event = stripe.webhooks.constructEvent(delivery.body, delivery.signature, secret);
        if (event.type === type && (event.data.object as { id: string }).id === sessionId) return event;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`no ${type} event for ${sessionId}`);
  };

  it("takes a payment on the hosted page and tells the webhook endpoint, signed as Stripe signs", async () => {
    const session = await stripe.checkout.sessions.create({
      mode: "payment",
      line_items: [
        {
          price_data: { currency: "usd", unit_amount: 6_400, product_data: { name: "Invoice 1001" } },
          quantity: 1,
        },
      ],
      client_reference_id: "inv-1001",
      payment_intent_data: { metadata: { invoice_id: "inv-1001" } },
      expires_at: Math.floor(Date.now() / 1000) + 1_800,
    });
    expect(session.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/c\/pay\/cs_test_/);
    const page = await fetch(session.url as string);
    expect(await page.text()).toContain("$64.00");
    const declined = await fetch(session.url as string, {
      method: "POST",
      body: new URLSearchParams({ number: "4000000000000002", exp: "12/34", cvc: "123" }),
    });
    expect(await declined.text()).toContain("Your card was declined.");
    expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe("open");
    const paid = await fetch(session.url as string, {
      method: "POST",
      body: new URLSearchParams({ number: "4242 4242 4242 4242", exp: "12/34", cvc: "123" }),
    });
    expect(await paid.text()).toContain("Payment complete");
    const completed = await stripe.checkout.sessions.retrieve(session.id, { expand: ["payment_intent"] });
    expect(completed).toMatchObject({
      status: "complete",
      payment_status: "paid",
      client_reference_id: "inv-1001",
    });
    expect((completed.payment_intent as Stripe.PaymentIntent).metadata).toEqual({ invoice_id: "inv-1001" });
    const event = await eventFor("checkout.session.completed", session.id);
    expect((event.data.object as Stripe.Checkout.Session).payment_status).toBe("paid");
    // A payload changed in transit, or signed with another secret, is refused by the SDK.
    const delivery = received.find((each) => each.body.includes(event.id)) as {
      body: string;
      signature: string;
    };
    expect(() =>
      stripe.webhooks.constructEvent(delivery.body.replace("6400", "6401"), delivery.signature, secret),
    ).toThrow(Stripe.errors.StripeSignatureVerificationError);
    expect(() => stripe.webhooks.constructEvent(delivery.body, delivery.signature, "whsec_other")).toThrow(
      Stripe.errors.StripeSignatureVerificationError,
    );
  });

  it("expires an abandoned session, which records no payment", async () => {
    const session = await stripe.checkout.sessions.create({
      mode: "payment",
      line_items: [
        {
          price_data: { currency: "usd", unit_amount: 900, product_data: { name: "Invoice 1002" } },
          quantity: 1,
        },
      ],
    });
    const tooSoon = await failureOf(() =>
      stripe.checkout.sessions.create({
        mode: "payment",
        line_items: [
          { price_data: { currency: "usd", unit_amount: 900, product_data: { name: "x" } }, quantity: 1 },
        ],
        expires_at: Math.floor(Date.now() / 1000) + 60,
      }),
    );
    expect(tooSoon.param).toBe("expires_at");
    simulator.advance(24 * 60 * 60);
    const expired = await stripe.checkout.sessions.retrieve(session.id);
    expect(expired).toMatchObject({ status: "expired", payment_intent: null, url: null });
    await eventFor("checkout.session.expired", session.id);
    const late = await fetch(`${simulator.url}/c/pay/${session.id}`, {
      method: "POST",
      body: new URLSearchParams({ number: "4242424242424242", exp: "12/34", cvc: "1" }),
    });
    expect(late.status).toBe(410);
  });
});

describe("a request still running with the same idempotency key", () => {
  it("is refused with a 409 idempotency_error, and the first answer stands", async () => {
    const simulator = await startStripeSimulator({
      holdAnswer: (request) => (request.idempotencyKey === "held-key" ? 300 : 0),
    });
    try {
      const stripe = sdk(simulator);
      const params = { amount: 1_000, currency: "usd", payment_method: "pm_card_visa", confirm: true };
      const first = stripe.paymentIntents.create(params, { idempotencyKey: "held-key" });
      await new Promise((resolve) => setTimeout(resolve, 50));
      const second = await failureOf(() =>
        stripe.paymentIntents.create(params, { idempotencyKey: "held-key" }),
      );
      // The SDK makes a 409 a StripeAPIError; Stripe's body says what it is.
      expect(second.rawType).toBe("idempotency_error");
      expect(second.statusCode).toBe(409);
      expect(second.code).toBe("idempotency_key_in_use");
      const made = await first;
      expect((await stripe.paymentIntents.create(params, { idempotencyKey: "held-key" })).id).toBe(made.id);
      expect(simulator.books.paymentIntents.size).toBe(1);
    } finally {
      await simulator.close();
    }
  });
});
