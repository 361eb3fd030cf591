import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KIOSK_GRANT } from "../../../test/fixtures/stripe-test-cards.js";
import { expectKioskErrorAsync } from "../../../test/helpers/kiosk-error.js";
import { ErrorCodes } from "../../core/error-codes.js";
import { createMemoryLogger } from "../../core/logger.js";
import type { CardProcessor, ReaderProgress, SaleRequest } from "../../payments/card-processor.js";
import { type RunningStripeSimulator, startStripeSimulator } from "../stripe-simulator/stripe-simulator.js";
import { KEY_METADATA } from "./charge-of.js";
import { stripeClient } from "./stripe-client.js";
import { stripeProcessor } from "./stripe-processor.js";

let sequence = 0;

describe("the Stripe processor collects card-present payments on a smart reader", () => {
  let simulator: RunningStripeSimulator;
  let processor: CardProcessor;
  let helper: Stripe;
  let reader: string;
  let spare: string;
  beforeAll(async () => {
    simulator = await startStripeSimulator({ readers: 2 });
    [reader, spare] = simulator.readers as [string, string];
    const endpoint = { host: simulator.host, port: simulator.port, protocol: "http" as const };
    processor = stripeProcessor({
      stripe: stripeClient({ apiKey: simulator.restrictedKey(KIOSK_GRANT), endpoint, timeoutMs: 2_000 }),
      logger: createMemoryLogger(),
      timing: { pollMs: 20, collectTimeoutMs: 3_000 },
      lookupWindowHours: 48,
      currency: "USD",
    });
    // The test's own client plays the client at the reader (Stripe's test helper).
    helper = new Stripe(simulator.secretKey, {
      host: simulator.host,
      port: simulator.port,
      protocol: "http",
    });
  });
  afterAll(() => simulator.close());

  const sale = (
    readerId: string,
    minor: number,
    extra: { cancel?: AbortSignal; progress?: (step: ReaderProgress) => void } = {},
  ): SaleRequest => ({
    idempotencyKey: `sale:reader-${process.pid}-${++sequence}`,
    amount: { minor, currency: "USD" },
    source: { kind: "reader", readerId, ...extra },
    reference: { recordId: `rec-${sequence}`, deviceId: "kiosk-1" },
  });
  const present = (readerId: string, number: string) =>
    helper.testHelpers.terminal.readers.presentPaymentMethod(readerId, { card_present: { number } });
  /** Runs a sale and presents the card once the reader says it waits for one. */
  const tap = async (request: SaleRequest, number: string) => {
    const steps: ReaderProgress[] = [];
    let waiting!: () => void;
    const reached = new Promise<void>((resolve) => {
      waiting = resolve;
    });
    const source = request.source as Extract<SaleRequest["source"], { kind: "reader" }>;
    const charged = processor.sale({
      ...request,
      source: {
        ...source,
        progress: (step) => {
          steps.push(step);
          if (step === "waiting-for-card") waiting();
        },
      },
    });
    await reached;
    await present(source.readerId, number);
    return { charged, steps };
  };
  const intentOf = (key: string): Stripe.PaymentIntent | undefined =>
    [...simulator.books.paymentIntents.values()].find((intent) => intent.metadata[KEY_METADATA] === key);

  it("charges a tapped card, telling the screen while the reader waits for it", async () => {
    const request = sale(reader, 6_400);
    const { charged, steps } = await tap(request, "4242424242424242");
    const charge = await charged;
    expect(steps).toEqual(["waiting-for-card"]);
    expect(charge).toMatchObject({
      amount: { minor: 6_400, currency: "USD" },
      idempotencyKey: request.idempotencyKey,
    });
    expect(charge.card).toMatchObject({ brand: "Visa", last4: "4242", maskedPan: null });
    expect(charge.authorizationCode).toMatch(/^\d{6}$/);
    expect(intentOf(request.idempotencyKey)?.status).toBe("succeeded");
    expect(await processor.lookup(request.idempotencyKey)).toMatchObject({ chargeId: charge.chargeId });
  });

  it("saves the card to the client's customer only when the client agreed, as a reusable card", async () => {
    const plain = sale(reader, 1_200);
    expect((await (await tap(plain, "4242424242424242")).charged).token).toBeNull();
    expect(intentOf(plain.idempotencyKey)).toMatchObject({ customer: null, setup_future_usage: null });

    const agreed = { ...sale(reader, 1_300), saveCardFor: { clientId: "client-ana" } };
    const charge = await (await tap(agreed, "5555555555554444")).charged;
    const intent = intentOf(agreed.idempotencyKey);
    expect(intent?.setup_future_usage).toBe("off_session");
    const customer = await helper.customers.retrieve(String(intent?.customer));
    expect(customer).toMatchObject({ metadata: { spectra_client_id: "client-ana" } });
    // The token is Stripe's generated card: a `card` PaymentMethod on that customer, chargeable later.
    const saved = await helper.paymentMethods.retrieve(String(charge.token));
    expect(saved).toMatchObject({ type: "card", customer: customer.id, card: { last4: "4444" } });
    // The same client's next saved card goes to the same customer (found by its metadata).
    const again = { ...sale(reader, 1_400), saveCardFor: { clientId: "client-ana" } };
    await (await tap(again, "4242424242424242")).charged;
    expect(intentOf(again.idempotencyKey)?.customer).toBe(customer.id);
  });

  it("declines with the issuer's reason and leaves the PaymentIntent cancelled, the reader free", async () => {
    const request = sale(reader, 2_000);
    const { charged } = await tap(request, "4000000000009995");
    await expectKioskErrorAsync(() => charged, ErrorCodes.PROCESSOR_INSUFFICIENT_FUNDS);
    expect(intentOf(request.idempotencyKey)?.status).toBe("canceled");
    expect(await processor.lookup(request.idempotencyKey)).toBeNull();
    // Declined, then approved on the next try at the same reader.
    const next = sale(reader, 2_000);
    expect((await (await tap(next, "5555555555554444")).charged).card.brand).toBe("Mastercard");
  });

  it("is cancelled by staff: nothing charged, and a card presented after is refused by the reader", async () => {
    const staff = new AbortController();
    const steps: ReaderProgress[] = [];
    const request = sale(reader, 3_000, { cancel: staff.signal, progress: (step) => steps.push(step) });
    const charged = processor.sale(request);
    await expect.poll(() => steps).toContain("waiting-for-card");
    staff.abort();
    await expectKioskErrorAsync(() => charged, ErrorCodes.CARD_COLLECTION_CANCELLED);
    expect(steps).toEqual(["waiting-for-card", "cancelling"]);
    expect(intentOf(request.idempotencyKey)?.status).toBe("canceled");
    await expect(present(reader, "4242424242424242")).rejects.toThrow(/not collecting a payment/);
  });

  it("gives up on a client who never presents a card", async () => {
    const slow = stripeProcessor({
      stripe: stripeClient({
        apiKey: simulator.secretKey,
        endpoint: { host: simulator.host, port: simulator.port, protocol: "http" },
        timeoutMs: 2_000,
      }),
      logger: createMemoryLogger(),
      timing: { pollMs: 20, collectTimeoutMs: 200 },
      lookupWindowHours: 48,
      currency: "USD",
    });
    const request = sale(reader, 1_500);
    await expectKioskErrorAsync(() => slow.sale(request), ErrorCodes.CARD_COLLECTION_CANCELLED);
    expect(intentOf(request.idempotencyKey)?.status).toBe("canceled");
  });

  it("refuses an offline or busy reader before the client is asked for a card", async () => {
    simulator.setReaderStatus(spare, "offline");
    const offline = sale(spare, 1_000);
    await expectKioskErrorAsync(() => processor.sale(offline), ErrorCodes.CARD_READER_OFFLINE);
    expect(intentOf(offline.idempotencyKey)?.status).toBe("canceled");
    simulator.setReaderStatus(spare, "online");
    const first = sale(spare, 1_000);
    const steps: ReaderProgress[] = [];
    const collecting = processor.sale({
      ...first,
      source: { kind: "reader", readerId: spare, progress: (step) => steps.push(step) },
    });
    await expect.poll(() => steps).toContain("waiting-for-card");
    const busy = sale(spare, 1_100);
    await expectKioskErrorAsync(() => processor.sale(busy), ErrorCodes.CARD_READER_BUSY);
    expect(intentOf(busy.idempotencyKey)?.status).toBe("canceled");
    await present(spare, "4242424242424242");
    expect((await collecting).amount.minor).toBe(1_000);
  });

  it("after a crash mid-collection, a look-up by key cancels the collection so it can never be charged", async () => {
    const request = sale(reader, 4_500);
    const steps: ReaderProgress[] = [];
    // The kiosk that started this "died": its sale is left running and nobody hears its answer.
    const orphan = processor
      .sale({
        ...request,
        source: { kind: "reader", readerId: reader, progress: (step) => steps.push(step) },
      })
      .catch((error: unknown) => error);
    await expect.poll(() => steps).toContain("waiting-for-card");
    expect(await processor.lookup(request.idempotencyKey)).toBeNull();
    expect(intentOf(request.idempotencyKey)?.status).toBe("canceled");
    await expect(present(reader, "4242424242424242")).rejects.toThrow(/not collecting a payment/);
    expect((await orphan) as { code?: string }).toMatchObject({ code: ErrorCodes.CARD_COLLECTION_CANCELLED });
    // Replaying the sale with its key does not bring the cancelled payment back to life.
    await expectKioskErrorAsync(() => processor.sale(request), ErrorCodes.CARD_COLLECTION_CANCELLED);
  });

  it("takes payments with the kiosk's restricted key but cannot refund with it, as Stripe refuses", async () => {
    const { charged } = await tap(sale(reader, 8_000), "4242424242424242");
    const charge = await charged;
    await expectKioskErrorAsync(
      () =>
        processor.refund({
          idempotencyKey: `refund:${charge.chargeId}`,
          chargeId: charge.chargeId,
          amount: { minor: 8_000, currency: "USD" },
          reference: { recordId: "rec-refund", deviceId: "kiosk-1" },
        }),
      ErrorCodes.PROCESSOR_NOT_PERMITTED,
    );
    expect([...simulator.books.refunds.values()]).toEqual([]);
  });

  it("sends Stripe no card numbers: a swiped card is refused before any request", async () => {
    const { CardNumber } = await import("../../payments/card/card-number.js");
    const before = simulator.books.paymentIntents.size;
    await expectKioskErrorAsync(
      () =>
        processor.sale({
          ...sale(reader, 1_000),
          source: {
            kind: "swiped",
            card: CardNumber.parse("4242424242424242"),
            expiry: { month: 12, year: 2030 },
          },
        }),
      ErrorCodes.PROCESSOR_REJECTED_REQUEST,
    );
    expect(simulator.books.paymentIntents.size).toBe(before);
  });
});
