import { describe, expect, it } from "vitest";
import { cashPayment, context, manualCardPayment, stamp } from "../../test/helpers/payments.js";
import type { PaymentRecord } from "./payment-record.js";
import { createRecord, parseDraft } from "./rules/create-record.js";
import { shiftTotals } from "./shift-totals.js";

const usd = (minor: number) => ({ minor, currency: "USD" });

function recorded(input: Parameters<typeof parseDraft>[0], records: PaymentRecord[] = []): PaymentRecord {
  return createRecord(parseDraft(input), context({ records }), stamp());
}

describe("shift totals", () => {
  it("totals by method, counts refunds, voids and future payments, and the cash expected in the drawer", () => {
    const cash = recorded(
      cashPayment(10_000, { methodFields: { type: "cash", amountTenderedMinor: 12_000 } }),
    );
    const card = recorded(manualCardPayment(5_000));
    const refund = recorded(
      {
        ...cashPayment(2_500),
        kind: "refund",
        refundOf: cash.id,
        methodFields: { type: "cash", amountTenderedMinor: null },
      },
      [cash, card],
    );
    const voided: PaymentRecord = { ...recorded(cashPayment(1_000)), status: "voided" };
    const future = recorded(
      cashPayment(3_000, { futurePayment: true, dueDate: "2026-12-24", paymentDate: null }),
    );
    const totals = shiftTotals([cash, card, refund, voided, future], "USD");

    expect(totals.payments).toEqual({ count: 2, total: usd(15_000) });
    expect(totals.refunds).toEqual({ count: 1, total: usd(2_500) });
    expect(totals.voids).toEqual({ count: 1, total: usd(1_000) });
    expect(totals.futurePayments).toEqual({ count: 1, total: usd(3_000) });
    expect(totals.net).toEqual(usd(12_500));
    // The change given back never enters the drawer: 100.00 kept, 25.00 refunded.
    expect(totals.expectedCash).toEqual(usd(7_500));
    expect(totals.byMethod).toEqual([
      {
        methodId: "cash",
        methodName: "Cash",
        payments: usd(10_000),
        paymentCount: 1,
        refunds: usd(2_500),
        refundCount: 1,
        net: usd(7_500),
      },
      {
        methodId: "card",
        methodName: "Credit Card",
        payments: usd(5_000),
        paymentCount: 1,
        refunds: usd(0),
        refundCount: 0,
        net: usd(5_000),
      },
    ]);
  });

  it("is all zeros for an empty shift", () => {
    const totals = shiftTotals([], "USD");
    expect(totals.expectedCash).toEqual(usd(0));
    expect(totals.byMethod).toEqual([]);
  });
});
