import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectKioskErrorAsync } from "../../../test/helpers/kiosk-error.js";
import { ErrorCodes } from "../../core/error-codes.js";
import { createMemoryLogger } from "../../core/logger.js";
import { CardNumber } from "../../payments/card/card-number.js";
import type { CardProcessor, CardSource, SaleRequest } from "../../payments/card-processor.js";
import { TEST_CARDS } from "../gateway-simulator/fixtures/test-cards.js";
import { type RunningSimulator, startGatewaySimulator } from "../gateway-simulator/gateway-simulator.js";
import { gatewayProcessor } from "./gateway-client.js";

const numberFor = (behaviour: string): string => {
  const entry = Object.entries(TEST_CARDS).find(
    ([, value]) => (value.kind === "decline" ? value.code : value.kind) === behaviour,
  );
  if (!entry) throw new Error(`no test card for ${behaviour}`);
  return entry[0];
};
const swiped = (number: string): CardSource => ({
  kind: "swiped",
  card: CardNumber.parse(number),
  expiry: { month: 12, year: 2030 },
});

let simulator: RunningSimulator;
let processor: CardProcessor;
let sequence = 0;
const sale = (source: CardSource, amountMinor = 1_500, key = `key-${++sequence}`): SaleRequest => ({
  idempotencyKey: key,
  amount: { minor: amountMinor, currency: "USD" },
  source,
  reference: { recordId: `rec-${sequence}`, deviceId: "kiosk-test" },
});

beforeAll(async () => {
  simulator = await startGatewaySimulator({ hangMs: 1_500, slowMs: 300 });
  processor = gatewayProcessor({
    url: simulator.url,
    apiKey: simulator.apiKey,
    timeoutMs: 800,
    logger: createMemoryLogger(),
    retries: 1,
  });
});
afterAll(() => simulator.close());

describe("the gateway client against the simulator", () => {
  it("charges an approved card and describes it only by brand, BIN and last 4", async () => {
    const charge = await processor.sale(sale(swiped(numberFor("approve"))));
    expect(charge).toMatchObject({
      amount: { minor: 1_500, currency: "USD" },
      card: { brand: "Visa", last4: "4242", maskedPan: "424242******4242" },
    });
    expect(charge.authorizationCode).toMatch(/^[A-Z0-9]{6}$/);
    expect(JSON.stringify(simulator.ledger.snapshot())).not.toContain(numberFor("approve"));
  });

  it.each([
    ["card_declined", ErrorCodes.PROCESSOR_DECLINED],
    ["insufficient_funds", ErrorCodes.PROCESSOR_INSUFFICIENT_FUNDS],
    ["expired_card", ErrorCodes.PROCESSOR_EXPIRED_CARD],
    ["do_not_honor", ErrorCodes.PROCESSOR_DO_NOT_HONOR],
    ["invalid_card", ErrorCodes.PROCESSOR_INVALID_CARD],
  ])("maps a %s decline to %s, charging nothing", async (decline, code) => {
    const before = simulator.ledger.charges.size;
    const error = await expectKioskErrorAsync(() => processor.sale(sale(swiped(numberFor(decline)))), code);
    expect(error.context.declineCode).toBe(decline);
    expect(simulator.ledger.charges.size).toBe(before);
  });

  it("reports a server error as an unknown outcome, after retrying with the same key", async () => {
    await expectKioskErrorAsync(
      () => processor.sale(sale(swiped(numberFor("server-error")))),
      ErrorCodes.PROCESSOR_OUTCOME_UNKNOWN,
    );
  });

  it("times out on the hanging card; the retry with the same key gets the first answer, not a second charge", async () => {
    const request = sale(swiped(numberFor("timeout")));
    const charge = await processor.sale(request);
    expect(
      [...simulator.ledger.charges.values()].filter((c) => c.idempotency_key === request.idempotencyKey),
    ).toEqual([expect.objectContaining({ id: charge.chargeId })]);
  });

  it("without retries, reports the timeout as an unknown outcome, and the lookup finds the charge", async () => {
    const once = gatewayProcessor({
      url: simulator.url,
      apiKey: simulator.apiKey,
      timeoutMs: 800,
      logger: createMemoryLogger(),
      retries: 0,
    });
    const request = sale(swiped(numberFor("timeout")));
    await expectKioskErrorAsync(() => once.sale(request), ErrorCodes.PROCESSOR_OUTCOME_UNKNOWN);
    expect((await once.lookup(request.idempotencyKey))?.amount.minor).toBe(1_500);
    expect(await once.lookup("never-used")).toBeNull();
  });

  it("waits for a slow answer within its timeout", async () => {
    expect((await processor.sale(sale(swiped(numberFor("slow"))))).card.last4).toBe("0341");
  });

  it("answers a repeated key with the first answer, and refuses the key with other parameters", async () => {
    const request = sale(swiped(numberFor("approve")), 2_000);
    const first = await processor.sale(request);
    const again = await processor.sale(request);
    expect(again.chargeId).toBe(first.chargeId);
    expect(
      [...simulator.ledger.charges.values()].filter(
        (charge) => charge.idempotency_key === request.idempotencyKey,
      ),
    ).toHaveLength(1);
    await expectKioskErrorAsync(
      () => processor.sale({ ...request, amount: { minor: 2_001, currency: "USD" } }),
      ErrorCodes.PROCESSOR_IDEMPOTENCY_CONFLICT,
    );
  });

  it("refunds back to the charge, never beyond it, and voids", async () => {
    const charge = await processor.sale(sale(swiped(numberFor("approve")), 5_000));
    const reference = { recordId: "r", deviceId: "kiosk-test" };
    const refund = await processor.refund({
      idempotencyKey: `refund-${charge.chargeId}`,
      chargeId: charge.chargeId,
      amount: { minor: 3_000, currency: "USD" },
      reference,
    });
    expect(refund.amount.minor).toBe(3_000);
    await expectKioskErrorAsync(
      () =>
        processor.refund({
          idempotencyKey: `refund2-${charge.chargeId}`,
          chargeId: charge.chargeId,
          amount: { minor: 2_001, currency: "USD" },
          reference,
        }),
      ErrorCodes.PROCESSOR_REJECTED_REQUEST,
    );
    const other = await processor.sale(sale(swiped(numberFor("approve")), 700));
    await processor.void({ idempotencyKey: `void-${other.chargeId}`, chargeId: other.chargeId });
    expect(simulator.ledger.charges.get(other.chargeId)?.status).toBe("voided");
  });

  it("saves a card as a token and charges it later", async () => {
    const saved = await processor.saveCard({
      idempotencyKey: "save-1",
      source: swiped(numberFor("approve")),
      clientId: "client-1",
    });
    expect(saved).toMatchObject({ last4: "4242", brand: "Visa", expiry: { month: 12, year: 2030 } });
    const charge = await processor.chargeSavedCard({
      idempotencyKey: "saved-charge-1",
      token: saved.token,
      amount: { minor: 900, currency: "USD" },
      reference: { recordId: "r2", deviceId: "k" },
    });
    expect(charge.token).toBe(saved.token);
  });

  it("takes keyed cards on its hosted page, so the kiosk never sees the number", async () => {
    const entry = await processor.startHostedEntry({
      purpose: "charge",
      amount: { minor: 4_200, currency: "USD" },
    });
    expect((await processor.hostedEntryStatus(entry.sessionId)).state).toBe("open");
    const page = await fetch(entry.url);
    expect(await page.text()).toContain("Secure card entry");
    const posted = await fetch(entry.url, {
      method: "POST",
      body: new URLSearchParams({
        number: numberFor("approve"),
        exp_month: "11",
        exp_year: "2031",
        cvc: "123",
      }),
    });
    expect(posted.status).toBe(200);
    const status = await processor.hostedEntryStatus(entry.sessionId);
    expect(status).toMatchObject({ state: "completed", card: { last4: "4242" } });
    const charge = await processor.sale(sale({ kind: "hosted", sessionId: entry.sessionId }, 4_200));
    expect(charge.card.last4).toBe("4242");
    const cancelled = await processor.startHostedEntry({ purpose: "save", amount: null });
    await processor.cancelHostedEntry(cancelled.sessionId);
    expect((await processor.hostedEntryStatus(cancelled.sessionId)).state).toBe("cancelled");
  });

  it("says unavailable when it cannot reach the processor, and when its key is refused", async () => {
    const nowhere = gatewayProcessor({
      url: "http://127.0.0.1:9",
      apiKey: "x",
      timeoutMs: 500,
      logger: createMemoryLogger(),
      retries: 0,
    });
    await expectKioskErrorAsync(
      () => nowhere.sale(sale(swiped(numberFor("approve")))),
      ErrorCodes.PROCESSOR_UNAVAILABLE,
    );
    expect(await nowhere.reachable()).toBe(false);
    expect(await processor.reachable()).toBe(true);
    const wrongKey = gatewayProcessor({
      url: simulator.url,
      apiKey: "wrong",
      timeoutMs: 500,
      logger: createMemoryLogger(),
    });
    await expectKioskErrorAsync(() => wrongKey.lookup("x"), ErrorCodes.PROCESSOR_UNAVAILABLE);
  });
});
