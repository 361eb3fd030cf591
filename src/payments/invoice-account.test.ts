import { describe, expect, it } from "vitest";
import { cashPayment, context, invoice, STAFF, take } from "../../test/helpers/payments.js";
import { invoiceAccount } from "./invoice-account.js";
import type { RecordLine } from "./payment-record.js";

const usd = (minor: number) => ({ minor, currency: "USD" });
const asOf = "2026-11-26T16:59:00.000Z";

describe("an invoice's account with payments made elsewhere", () => {
  it("counts central's word on other kiosks and Spectra beside this kiosk's own records", () => {
    const own: RecordLine[] = [take(cashPayment(5_000))];
    const account = invoiceAccount(
      { ...invoice(), elsewhere: { paidMinor: 8_000, refundedMinor: 1_000, asOf } },
      own,
    );
    expect(account).toMatchObject({
      paid: usd(13_000),
      paidElsewhere: usd(8_000),
      refunded: usd(1_000),
      balance: usd(13_000),
      payable: usd(13_000),
      credit: usd(0),
      elsewhereAsOf: asOf,
    });
  });

  it("shows what two kiosks both collected as a credit, never as a negative balance", () => {
    const own: RecordLine[] = [take(cashPayment(25_000))];
    const account = invoiceAccount(
      { ...invoice(), elsewhere: { paidMinor: 25_000, refundedMinor: 0, asOf } },
      own,
    );
    expect(account).toMatchObject({ balance: usd(0), credit: usd(25_000), payable: usd(0) });
  });

  it("is the kiosk's own account when central told of nothing", () => {
    const account = invoiceAccount({ ...invoice(), elsewhere: null }, []);
    expect(account).toMatchObject({
      paid: usd(0),
      paidElsewhere: usd(0),
      elsewhereAsOf: null,
      balance: usd(25_000),
    });
  });

  it("keeps the payment rules from taking more than what is left after payments elsewhere", () => {
    const terms = { ...invoice(), elsewhere: { paidMinor: 20_000, refundedMinor: 0, asOf } };
    expect(take(cashPayment(5_000), context({ invoice: terms, channel: STAFF })).amount).toEqual(usd(5_000));
    expect(() =>
      take(
        cashPayment(5_001, {
          methodId: "card",
          methodFields: {
            type: "card",
            entryMode: "manual",
            authorizationCode: "A1B2C3",
            maskedPan: "411111******1111",
          },
        }),
        context({ invoice: terms, channel: { kind: "self-service" } }),
      ),
    ).toThrow(expect.objectContaining({ code: "PAYMENT_EXCEEDS_BALANCE" }));
  });
});
