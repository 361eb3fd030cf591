import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REASON_CODE_CARD } from "../../../test/fixtures/authorize-net-test-cards.js";
import { swipedCard } from "../../../test/helpers/authorize-net.js";
import { expectKioskErrorAsync } from "../../../test/helpers/kiosk-error.js";
import { ErrorCodes } from "../../core/error-codes.js";
import { createMemoryLogger } from "../../core/logger.js";
import { parseMaskedPan } from "../../payments/card/masked-pan.js";
import type { CardProcessor, CardSource, SaleRequest } from "../../payments/card-processor.js";
import {
  type RunningAuthorizeNetSimulator,
  startAuthorizeNetSimulator,
} from "../authorize-net-simulator/authorize-net-simulator.js";
import { AuthorizeNetApi } from "./api-client.js";
import { httpsTransport, type Transport } from "./api-transport.js";
import { authorizeNetProcessor } from "./authorize-net-processor.js";
import { declineError } from "./decline-reasons.js";
import { invoiceReference } from "./invoice-reference.js";
import { orderViolation } from "./wire-order.js";

let simulator: RunningAuthorizeNetSimulator;
let processor: CardProcessor;
const sent: string[] = [];
const logger = createMemoryLogger();

async function processorWith(transactionKey: string, record: boolean): Promise<CardProcessor> {
  const https = await httpsTransport({ endpoint: simulator.endpoint, timeoutMs: 2_000, ca: simulator.ca });
  const transport: Transport = (body) => {
    if (record) sent.push(body);
    return https(body);
  };
  return authorizeNetProcessor({
    api: new AuthorizeNetApi(transport, { apiLoginId: simulator.apiLoginId, transactionKey }, logger),
    currency: "USD",
    deviceType: 3,
    duplicateWindowSeconds: 28_800,
    hostedFormUrl: simulator.hostedFormUrl,
    settledLookupDays: 31,
    logger,
  });
}

beforeAll(async () => {
  simulator = await startAuthorizeNetSimulator();
  processor = await processorWith(simulator.transactionKey, true);
});
afterAll(() => simulator?.close());

let sequence = 0;
const sale = (source: CardSource, minor = 1_000, extra: Partial<SaleRequest> = {}): SaleRequest => ({
  idempotencyKey: `sale:unit-${++sequence}`,
  amount: { minor, currency: "USD" },
  source,
  reference: { recordId: `record-${sequence}`, deviceId: "kiosk-unit" },
  ...extra,
});
const requestsFor = (key: string): Record<string, Record<string, unknown>>[] =>
  sent.map((body) => JSON.parse(body)).filter((body) => JSON.stringify(body).includes(invoiceReference(key)));

const encrypted = (pan: string): CardSource => ({
  kind: "encrypted",
  payload: {
    format: "magtek-magnesafe",
    ksn: "9011880B00000A000001",
    encryptedTrack2: "A1B2C3D4E5F60718293A4B5C6D7E8F90",
    encryptedTrack1: null,
    deviceSerial: "B1234567",
    maskedPan: parseMaskedPan(`${pan.slice(0, 6)}${"*".repeat(pan.length - 10)}${pan.slice(-4)}`),
    expiry: { month: 12, year: 2030 },
  },
});

describe("the Authorize.Net processor", () => {
  it("sends a plain swipe as card-present track 2 with its reference, retail info and duplicate window", async () => {
    const request = sale(swipedCard("4111111111111111"), 1_234);
    const charge = await processor.sale(request);
    expect(charge).toMatchObject({ amount: { minor: 1_234 }, card: { last4: "1111", brand: "Visa" } });
    const [body] = requestsFor(request.idempotencyKey);
    const create = body?.createTransactionRequest as Record<string, unknown>;
    expect(create.refId).toBe(invoiceReference(request.idempotencyKey));
    expect(create.transactionRequest).toMatchObject({
      transactionType: "authCaptureTransaction",
      amount: "12.34",
      payment: { trackData: { track2: "4111111111111111=30121011000000000000" } },
      order: { invoiceNumber: invoiceReference(request.idempotencyKey) },
      retail: { marketType: "2", deviceType: "3" },
      transactionSettings: { setting: [{ settingName: "duplicateWindow", settingValue: "28800" }] },
    });
  });

  it("sends a MagneSafe swipe as encrypted track data: the reader's block, no clear number", async () => {
    const request = sale(encrypted("5424000000000015"));
    const charge = await processor.sale(request);
    expect(charge.card).toMatchObject({ last4: "0015", maskedPan: "542400******0015" });
    const [body] = requestsFor(request.idempotencyKey);
    const text = JSON.stringify(body);
    expect(text).toContain('"encryptedTrackData":{"FormOfPayment":{"Value":{"Encoding":"Hex"');
    expect(text).not.toContain('trackData":{"track');
    expect(text).not.toContain("5424000000000015");
    const block = (
      body as {
        createTransactionRequest: {
          transactionRequest: {
            payment: {
              encryptedTrackData: {
                FormOfPayment: { Value: { Scheme: { DUKPT: { EncryptedData: { Value: string } } } } };
              };
            };
          };
        };
      }
    ).createTransactionRequest.transactionRequest.payment.encryptedTrackData.FormOfPayment.Value.Scheme.DUKPT
      .EncryptedData.Value;
    expect(Buffer.from(block, "hex").toString("latin1")).toContain("9011880B00000A000001");
  });

  it("writes every request in the schema's element order", async () => {
    const charge = await processor.sale(sale(swipedCard("4007000000027"), 5_000));
    await processor.void({ idempotencyKey: "void:unit", chargeId: charge.chargeId });
    await processor.lookup("sale:never-made");
    await processor.lookupRefund("refund:never-made");
    const entry = await processor.startHostedEntry({ purpose: "save", amount: null });
    await processor.hostedEntryStatus(entry.sessionId);
    await processor.cancelHostedEntry(entry.sessionId);
    await processor.reachable();
    expect(sent.length).toBeGreaterThan(10);
    for (const body of sent) {
      const [method, request] = Object.entries(JSON.parse(body) as Record<string, unknown>)[0] ?? [];
      expect(orderViolation(String(method), String(method), request)).toBeNull();
    }
  });

  it("refuses to refund a charge before it settles, and refunds its own card after", async () => {
    const charge = await processor.sale(sale(swipedCard("370000000000002"), 8_000));
    const refund = (minor: number, key: string) =>
      processor.refund({
        idempotencyKey: key,
        chargeId: charge.chargeId,
        amount: { minor, currency: "USD" },
        reference: { recordId: key, deviceId: "kiosk-unit" },
      });
    await expectKioskErrorAsync(() => refund(1_000, "refund:early"), ErrorCodes.PROCESSOR_REFUND_NOT_SETTLED);
    simulator.settle();
    const made = await refund(1_000, "refund:after");
    expect(made).toMatchObject({ chargeId: charge.chargeId, amount: { minor: 1_000 } });
    const [body] = requestsFor("refund:after");
    expect(
      (body?.createTransactionRequest as { transactionRequest: unknown } | undefined)?.transactionRequest,
    ).toMatchObject({
      transactionType: "refundTransaction",
      payment: { creditCard: { cardNumber: "XXXX0002", expirationDate: "XXXX" } },
      refTransId: charge.chargeId,
    });
  });

  it("finds a charge by its key after settlement, in the settled batches, and a repeat still charges nothing", async () => {
    const request = sale(swipedCard("2223000010309703"), 6_100);
    const charge = await processor.sale(request);
    simulator.settle();
    const unsettled = [...simulator.books.transactions.values()].filter(
      (transaction) => transaction.batchId === null,
    );
    expect(unsettled.map((transaction) => transaction.transId)).not.toContain(charge.chargeId);
    const found = await processor.lookup(request.idempotencyKey);
    expect(found).toMatchObject({
      chargeId: charge.chargeId,
      amount: { minor: 6_100 },
      idempotencyKey: request.idempotencyKey,
    });
    const bodies = sent.slice(-6).map((body) => Object.keys(JSON.parse(body) as object)[0]);
    expect(bodies).toEqual(
      expect.arrayContaining(["getSettledBatchListRequest", "getTransactionListRequest"]),
    );
    // Inside the duplicate window a blind repeat is refused with the original: no second charge.
    expect((await processor.sale(request)).chargeId).toBe(charge.chargeId);
    const made = [...simulator.books.transactions.values()].filter(
      (transaction) => transaction.invoiceNumber === invoiceReference(request.idempotencyKey),
    );
    expect(made).toHaveLength(1);
  });

  it("declines a payment the fraud filters hold, so it can never be approved later", async () => {
    const request = sale(swipedCard(REASON_CODE_CARD), 252_00);
    await expectKioskErrorAsync(() => processor.sale(request), ErrorCodes.PROCESSOR_HELD_FOR_REVIEW);
    const held = [...simulator.books.transactions.values()].find(
      (transaction) => transaction.invoiceNumber === invoiceReference(request.idempotencyKey),
    );
    expect(held?.status).toBe("declined");
  });

  it("saves the card of a sale when the client agrees, and charges it later", async () => {
    const charge = await processor.sale(
      sale(swipedCard("6011000000000012"), 3_000, { saveCardFor: { clientId: "client-7" } }),
    );
    expect(charge.token).toMatch(/^\d+\/\d+$/);
    const later = await processor.chargeSavedCard({
      idempotencyKey: "collect:unit:1",
      token: charge.token ?? "",
      amount: { minor: 4_500, currency: "USD" },
      reference: { recordId: "record-later", deviceId: "kiosk-unit" },
    });
    expect(later).toMatchObject({ amount: { minor: 4_500 }, card: { last4: "0012" } });
    const plain = await processor.sale(sale(swipedCard("6011000000000012"), 3_100));
    expect(plain.token).toBeNull();
  });

  it("says refused credentials mean nothing was charged, and never writes the key or card data to the log", async () => {
    const wrong = await processorWith("NotTheRightKey00", false);
    await expectKioskErrorAsync(
      () => wrong.sale(sale(swipedCard("4111111111111111"))),
      ErrorCodes.PROCESSOR_UNAVAILABLE,
    );
    expect(await wrong.reachable()).toBe(false);
    const log = logger.lines.join("\n");
    expect(log).toContain("refused the API login id or transaction key");
    for (const secret of [
      simulator.transactionKey,
      "NotTheRightKey00",
      "4111111111111111",
      "30121011000000000000",
    ]) {
      expect(log).not.toContain(secret);
    }
  });
});

describe("Authorize.Net's reason codes in the kiosk's words", () => {
  it.each([
    ["2", 2, ErrorCodes.PROCESSOR_DECLINED],
    ["2", 3, ErrorCodes.PROCESSOR_DO_NOT_HONOR],
    ["2", 4, ErrorCodes.PROCESSOR_DECLINED],
    ["2", 65, ErrorCodes.PROCESSOR_DECLINED],
    ["3", 8, ErrorCodes.PROCESSOR_EXPIRED_CARD],
    ["3", 317, ErrorCodes.PROCESSOR_EXPIRED_CARD],
    ["3", 6, ErrorCodes.PROCESSOR_INVALID_CARD],
    ["3", 315, ErrorCodes.PROCESSOR_INVALID_CARD],
    ["3", 19, ErrorCodes.PROCESSOR_UNAVAILABLE],
    ["3", 55, ErrorCodes.PROCESSOR_REJECTED_REQUEST],
    ["2", 999, ErrorCodes.PROCESSOR_DECLINED],
  ] as const)("response %s, reason %i → %s", (responseCode, reasonCode, code) => {
    expect(declineError(responseCode, reasonCode, "text").code).toBe(code);
  });
});
