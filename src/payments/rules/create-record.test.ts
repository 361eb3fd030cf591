import { describe, expect, it } from "vitest";
import { expectKioskError } from "../../../test/helpers/kiosk-error.js";
import {
  CLIENT,
  cashPayment,
  context,
  invoice,
  LIMITS,
  manualCardPayment,
  take,
} from "../../../test/helpers/payments.js";
import { ErrorCodes } from "../../core/error-codes.js";
import { invoiceAccount } from "../invoice-account.js";
import { parseDraft } from "./create-record.js";

describe("amount rules", () => {
  it("takes a payment within the balance, dated today by default", () => {
    const record = take(cashPayment(10_000));
    expect(record).toMatchObject({
      kind: "payment",
      status: "completed",
      amount: { minor: 10_000, currency: "USD" },
      paymentDate: "2026-11-26",
      invoiceNumber: "A-1001",
      clientId: "client-1",
      sessionId: "session-9",
      staffId: "mgr",
      deviceId: "kiosk-test",
      revision: 1,
    });
  });

  it("refuses zero, negative and over-limit amounts", () => {
    expectKioskError(() => take(cashPayment(0)), ErrorCodes.PAYMENT_AMOUNT_NOT_POSITIVE);
    expectKioskError(() => take(cashPayment(-100)), ErrorCodes.PAYMENT_AMOUNT_NOT_POSITIVE);
    const big = context({ invoice: invoice({ totalMinor: 5_000_000 }) });
    expectKioskError(
      () => take(cashPayment(LIMITS.maxAmountMinor + 1), big),
      ErrorCodes.PAYMENT_AMOUNT_OVER_LIMIT,
    );
  });

  it("refuses fractional amounts as malformed input", () => {
    expectKioskError(() => parseDraft(cashPayment(10.5)), ErrorCodes.PAYMENT_RECORD_INVALID);
  });

  it("refuses a currency other than the invoice's", () => {
    expectKioskError(() => take(cashPayment(100, { currency: "EUR" })), ErrorCodes.PAYMENT_CURRENCY_MISMATCH);
  });

  it("refuses a payment above the balance unless the method allows overpayment, then records the credit", () => {
    const paid = take(cashPayment(20_000));
    const ctx = context({ records: [paid] });
    const error = expectKioskError(() => take(cashPayment(5_001), ctx), ErrorCodes.PAYMENT_EXCEEDS_BALANCE);
    expect(error.context.payableMinor).toBe(5_000);
    const gift = take(
      { ...cashPayment(8_000), methodId: "gift", methodFields: { type: "gift", reference: "GC-77" } },
      ctx,
    );
    expect(gift.overpayment).toEqual({ minor: 3_000, currency: "USD" });
    const account = invoiceAccount(invoice(), [paid, gift]);
    expect(account.balance.minor).toBe(0);
    expect(account.credit.minor).toBe(3_000);
  });

  it("counts payments still authorizing or scheduled against the balance", () => {
    const inFlight = { ...take(cashPayment(20_000)), status: "authorizing" as const };
    expectKioskError(
      () => take(cashPayment(6_000), context({ records: [inFlight] })),
      ErrorCodes.PAYMENT_EXCEEDS_BALANCE,
    );
  });
});

describe("method rules", () => {
  it("computes change due from the cash tendered, and refuses too little", () => {
    const record = take(cashPayment(12_345, { methodFields: { type: "cash", amountTenderedMinor: 20_000 } }));
    expect(record.method).toEqual({
      type: "cash",
      amountTendered: { minor: 20_000, currency: "USD" },
      changeDue: { minor: 7_655, currency: "USD" },
    });
    expectKioskError(
      () => take(cashPayment(12_345, { methodFields: { type: "cash", amountTenderedMinor: 12_000 } })),
      ErrorCodes.PAYMENT_CASH_TENDERED_SHORT,
    );
  });

  it("requires a well-formed check number", () => {
    const check = (checkNumber: string | null) => ({
      ...cashPayment(1_000),
      methodId: "check",
      methodFields: { type: "check" as const, checkNumber },
    });
    expect(take(check(" 001234 ")).method).toEqual({ type: "check", checkNumber: "001234" });
    for (const bad of [null, "", "12a4", "12345678901", "-5"]) {
      expectKioskError(() => take(check(bad)), ErrorCodes.PAYMENT_CHECK_NUMBER_INVALID);
    }
  });

  it("requires a 1–12 character authorization code for manual card entry", () => {
    const record = take(manualCardPayment(5_000));
    expect(record.method).toMatchObject({
      type: "card",
      entryMode: "manual",
      authorizationCode: "A1B2C3",
      cardType: "Visa",
      maskedPan: "411111******1111",
    });
    for (const bad of [null, "", "ABC-123", "1234567890123"]) {
      expectKioskError(
        () =>
          take(
            manualCardPayment(5_000, {
              methodFields: { type: "card", entryMode: "manual", authorizationCode: bad },
            }),
          ),
        ErrorCodes.PAYMENT_AUTH_CODE_INVALID,
      );
    }
  });

  it("sends swiped cards to the processor when there is one, and refuses them when there is not", () => {
    const swiped = manualCardPayment(5_000, { methodFields: { type: "card", entryMode: "swiped" } });
    expect(take(swiped, context({ processorKind: "gateway" })).status).toBe("authorizing");
    expectKioskError(
      () => take(swiped, context({ processorKind: "manual" })),
      ErrorCodes.PAYMENT_METHOD_NOT_ALLOWED,
    );
  });

  it("refuses unknown methods and details of another method type", () => {
    expectKioskError(
      () => take(cashPayment(100, { methodId: "bitcoin" })),
      ErrorCodes.PAYMENT_METHOD_UNKNOWN,
    );
    expectKioskError(
      () => take(cashPayment(100, { methodId: "check" })),
      ErrorCodes.PAYMENT_METHOD_FIELDS_MISMATCH,
    );
  });

  it("keeps staff-only methods, refunds and manual entry away from the self-service counter", () => {
    const clientCtx = context({ channel: CLIENT, processorKind: "gateway" });
    expectKioskError(() => take(cashPayment(1_000), clientCtx), ErrorCodes.PAYMENT_METHOD_NOT_ALLOWED);
    expectKioskError(() => take(manualCardPayment(1_000), clientCtx), ErrorCodes.PAYMENT_METHOD_NOT_ALLOWED);
    const swiped = manualCardPayment(1_000, { methodFields: { type: "card", entryMode: "swiped" } });
    const record = take(swiped, clientCtx);
    expect(record.staffId).toBeNull();
    expectKioskError(
      () => take(manualCardPayment(100, { methodFields: { type: "card", entryMode: "swiped" } }), clientCtx),
      ErrorCodes.PAYMENT_AMOUNT_NOT_POSITIVE,
    );
  });
});

describe("free-text rules", () => {
  const VISA = "4111111111111111";

  it("refuses a full card number in a note or a reference, naming the field and never the number", () => {
    const attempts = [
      ["note", cashPayment(1_000, { note: `paid with ${VISA}` })],
      ["note", cashPayment(1_000, { note: "card 4111 1111 1111 1111 exp 12/29" })],
      [
        "method.reference",
        {
          ...cashPayment(1_000),
          methodId: "gift",
          methodFields: { type: "gift", reference: "3782-822463-10005" },
        },
      ],
      [
        "method.reference",
        {
          ...cashPayment(1_000),
          methodId: "other",
          methodFields: { type: "other", reference: `ref ${VISA}` },
        },
      ],
    ] as const;
    for (const [field, draft] of attempts) {
      const error = expectKioskError(() => take(draft), ErrorCodes.PAYMENT_CARD_NUMBER_IN_TEXT);
      expect(error.context).toEqual({ field });
      expect(JSON.stringify(error)).not.toMatch(/\d{4}[ -]?\d{4}/);
      expect(error.message).not.toMatch(/\d{4}[ -]?\d{4}/);
    }
  });

  it("takes notes and references that only mention a card", () => {
    expect(take(cashPayment(1_000, { note: "paid with Visa ending 1111" })).note).toBe(
      "paid with Visa ending 1111",
    );
    const gift = take({
      ...cashPayment(1_000),
      methodId: "gift",
      methodFields: { type: "gift", reference: "GC-2026-0042" },
    });
    expect(gift.method).toEqual({ type: "gift", reference: "GC-2026-0042" });
  });
});

describe("date rules", () => {
  it("accepts an earlier payment date and refuses a later one", () => {
    expect(take(cashPayment(100, { paymentDate: "2026-11-20" })).paymentDate).toBe("2026-11-20");
    expectKioskError(
      () => take(cashPayment(100, { paymentDate: "2026-11-27" })),
      ErrorCodes.PAYMENT_DATE_IN_FUTURE,
    );
    expectKioskError(
      () => take(cashPayment(100, { paymentDate: "2026-02-30" })),
      ErrorCodes.PAYMENT_DATE_INVALID,
    );
  });

  it("schedules a future payment with a due date after today and no payment date", () => {
    const record = take(cashPayment(5_000, { futurePayment: true, dueDate: "2026-12-15" }));
    expect(record).toMatchObject({
      status: "scheduled",
      paymentDate: null,
      dueDate: "2026-12-15",
      futurePayment: true,
    });
    expectKioskError(
      () => take(cashPayment(5_000, { futurePayment: true, dueDate: "2026-11-26" })),
      ErrorCodes.PAYMENT_DUE_DATE_NOT_AFTER_TODAY,
    );
    expectKioskError(
      () => take(cashPayment(5_000, { futurePayment: true })),
      ErrorCodes.PAYMENT_DUE_DATE_NOT_AFTER_TODAY,
    );
  });

  it("requires refundable-until on or after the payment date", () => {
    const ok = take(cashPayment(100, { refundable: true, refundableUntil: "2026-12-26" }));
    expect(ok).toMatchObject({ refundable: true, refundableUntil: "2026-12-26" });
    expect(take(cashPayment(100, { refundable: true, refundableUntil: "2026-11-26" })).refundableUntil).toBe(
      "2026-11-26",
    );
    expectKioskError(
      () => take(cashPayment(100, { refundable: true, refundableUntil: "2026-11-25" })),
      ErrorCodes.PAYMENT_REFUNDABLE_UNTIL_BEFORE_PAYMENT,
    );
    expectKioskError(
      () => take(cashPayment(100, { refundable: false, refundableUntil: "2026-12-01" })),
      ErrorCodes.PAYMENT_RECORD_INVALID,
    );
  });
});

describe("refund rules", () => {
  const refund = (amountMinor: number, extra = {}) => ({
    ...cashPayment(amountMinor),
    kind: "refund" as const,
    ...extra,
  });

  it("refunds up to the net paid, and no more", () => {
    const paid = take(cashPayment(10_000));
    const first = take(refund(4_000), context({ records: [paid] }));
    expect(first).toMatchObject({
      kind: "refund",
      status: "completed",
      method: { type: "cash", amountTendered: null },
    });
    const error = expectKioskError(
      () => take(refund(6_001), context({ records: [paid, first] })),
      ErrorCodes.REFUND_EXCEEDS_NET_PAID,
    );
    expect(error.context.refundableMinor).toBe(6_000);
    expectKioskError(() => take(refund(1), context()), ErrorCodes.REFUND_EXCEEDS_NET_PAID);
  });

  it("sends a card refund back to the card of the payment it names, up to what that card paid", () => {
    const visa = take(manualCardPayment(6_000));
    const amex = take(
      manualCardPayment(4_000, {
        methodFields: {
          type: "card",
          entryMode: "manual",
          authorizationCode: "Z9",
          maskedPan: "378282*****0005",
        },
      }),
      context({ records: [visa] }),
    );
    const records = [visa, amex];
    const cardRefund = (amountMinor: number, refundOf: string | null) =>
      refund(amountMinor, {
        methodId: "card",
        refundOf,
        methodFields: { type: "card", entryMode: "manual", authorizationCode: "R1" },
      });
    const back = take(cardRefund(4_000, amex.id), context({ records }));
    expect(back.method).toMatchObject({ maskedPan: "378282*****0005", cardType: "American Express" });
    expect(back.refundOf).toBe(amex.id);
    expectKioskError(
      () => take(cardRefund(4_001, amex.id), context({ records })),
      ErrorCodes.REFUND_EXCEEDS_CARD_PAID,
    );
    expectKioskError(
      () => take(cardRefund(100, null), context({ records })),
      ErrorCodes.REFUND_ORIGINAL_INVALID,
    );
    expectKioskError(
      () => take(cardRefund(100, "nope"), context({ records })),
      ErrorCodes.REFUND_ORIGINAL_INVALID,
    );
  });

  it("is never a future payment", () => {
    const paid = take(cashPayment(10_000));
    expectKioskError(
      () => take(refund(100, { futurePayment: true, dueDate: "2026-12-01" }), context({ records: [paid] })),
      ErrorCodes.REFUND_FUTURE_NOT_ALLOWED,
    );
  });
});

describe("self-service part payments", () => {
  const swiped = (amountMinor: number) =>
    manualCardPayment(amountMinor, { methodFields: { type: "card", entryMode: "swiped" } });

  it("follows the configured minimum, or requires the full balance", () => {
    const ctx = context({ channel: CLIENT, processorKind: "gateway" });
    expect(take(swiped(500), ctx).amount.minor).toBe(500);
    expectKioskError(() => take(swiped(499), ctx), ErrorCodes.PAYMENT_AMOUNT_NOT_POSITIVE);
    const fullOnly = context({
      channel: CLIENT,
      processorKind: "gateway",
      limits: { ...LIMITS, selfService: { allowPartial: false, minPartialMinor: 500 } },
    });
    expectKioskError(() => take(swiped(10_000), fullOnly), ErrorCodes.PAYMENT_EXCEEDS_BALANCE);
    expect(take(swiped(25_000), fullOnly).amount.minor).toBe(25_000);
  });
});
