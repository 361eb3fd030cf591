import { describe, it } from "vitest";
import { expectKioskError } from "../../../test/helpers/kiosk-error.js";
import { cashPayment, context, invoice, take } from "../../../test/helpers/payments.js";
import { ErrorCodes } from "../../core/error-codes.js";
import type { PaymentRecord } from "../payment-record.js";
import { checkVoid } from "./void-rules.js";

const voiding =
  (record: PaymentRecord, records: PaymentRecord[], overrides = {}) =>
  () =>
    checkVoid({
      record,
      invoice: invoice(),
      records,
      currentShiftId: "shift-1",
      role: "manager",
      ...overrides,
    });

describe("void rules", () => {
  it("lets a manager void an un-refunded record of the current shift", () => {
    const paid = take(cashPayment(10_000));
    voiding(paid, [paid])();
  });

  it("refuses cashiers, other shifts, and records already voided or declined", () => {
    const paid = take(cashPayment(10_000));
    expectKioskError(voiding(paid, [paid], { role: "cashier" }), ErrorCodes.VOID_NOT_ALLOWED);
    expectKioskError(voiding(paid, [paid], { currentShiftId: "shift-2" }), ErrorCodes.VOID_NOT_ALLOWED);
    expectKioskError(voiding(paid, [paid], { currentShiftId: null }), ErrorCodes.VOID_NOT_ALLOWED);
    const voided = { ...paid, status: "voided" as const };
    expectKioskError(voiding(voided, [voided]), ErrorCodes.VOID_NOT_ALLOWED);
  });

  it("refuses a payment that has been refunded, or whose void would leave refunds above payments", () => {
    const paid = take(cashPayment(10_000));
    const refund = take(
      { ...cashPayment(3_000), kind: "refund", refundOf: null },
      context({ records: [paid] }),
    );
    expectKioskError(voiding(paid, [paid, refund]), ErrorCodes.VOID_NOT_ALLOWED);
    const named = { ...refund, refundOf: paid.id };
    expectKioskError(voiding(paid, [paid, named]), ErrorCodes.VOID_NOT_ALLOWED);
  });

  it("refuses voiding a card payment when its card was refunded more than it would have paid", () => {
    const card = (amountMinor: number) => ({
      ...cashPayment(amountMinor),
      methodId: "card",
      methodFields: {
        type: "card" as const,
        entryMode: "manual" as const,
        authorizationCode: "A1",
        maskedPan: "411111******1111",
      },
    });
    const first = take(card(5_000));
    const second = take(card(5_000), context({ records: [first] }));
    const cash = take(cashPayment(10_000), context({ records: [first, second] }));
    const records = [first, second, cash];
    const refund = take(
      {
        ...card(8_000),
        kind: "refund",
        refundOf: first.id,
        methodFields: { type: "card", entryMode: "manual", authorizationCode: "R1" },
      },
      context({ records }),
    );
    expectKioskError(voiding(second, [...records, refund]), ErrorCodes.VOID_NOT_ALLOWED);
    voiding(cash, [...records, refund])();
  });

  it("voids a refund unless that would leave the invoice overpaid", () => {
    const paid = take(cashPayment(25_000));
    const refund = take({ ...cashPayment(5_000), kind: "refund" }, context({ records: [paid] }));
    voiding(refund, [paid, refund])();
    const second = take(cashPayment(5_000), context({ records: [paid, refund] }));
    expectKioskError(voiding(refund, [paid, refund, second]), ErrorCodes.VOID_NOT_ALLOWED);
  });
});
