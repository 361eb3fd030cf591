import { describe, expect, it } from "vitest";
import { context, METHODS, stamp } from "../../../../test/helpers/payments.js";
import { ErrorCodes } from "../../../core/error-codes.js";
import { isKioskError } from "../../../core/kiosk-error.js";
import { createRecord, parseDraft } from "../../../payments/rules/create-record.js";
import { changeDue, draftOf, fieldOfError, newForm, quickCash, touchForm } from "./payment-form.js";
import type { PaymentForm } from "./state.js";
import { INVOICE, SETUP, TODAY } from "./test-setup.test-helpers.js";

const ctx = { invoice: INVOICE, setup: SETUP, today: TODAY };

function fill(steps: [string, string?][], form: PaymentForm = newForm(INVOICE, TODAY)): PaymentForm {
  return steps.reduce((current, [action, value]) => touchForm(current, action, value, ctx), form);
}

const keys = (text: string): [string, string][] => [...text].map((key) => ["key", key]);

/** The draft the form makes, judged by the real rules (src/payments/rules). */
function judge(form: PaymentForm) {
  const built = draftOf(form, INVOICE, SETUP);
  if ("errors" in built) throw new Error(`form incomplete: ${Object.keys(built.errors).join(",")}`);
  return createRecord(parseDraft(built.draft), context({ methods: METHODS }), stamp());
}

describe("payment form", () => {
  it("starts as a payment of the balance, dated today, with no method", () => {
    const form = newForm(INVOICE, TODAY);
    expect(form).toMatchObject({ kind: "payment", amount: "20000", paymentDate: TODAY, methodId: null });
    expect(draftOf(form, INVOICE, SETUP)).toMatchObject({
      errors: { methodId: { code: ErrorCodes.PAYMENT_METHOD_UNKNOWN } },
    });
  });

  it("takes a note on the keypad, bounded, into the record's note; a card number in it is refused", () => {
    const form = fill([["method", "cash"], ["focus", "note"], ...keys("PAID BY DAD!"), ["backspace"]]);
    // "!" is no key of the pad: ignored. The backspace took the last "D".
    expect(form.note).toBe("PAID BY DA");
    expect(judge(form).note).toBe("PAID BY DA");
    const long = fill([["method", "cash"], ["focus", "note"], ...keys("A".repeat(130))]);
    expect(long.note).toHaveLength(120);
    // Nothing typed: no note at all.
    expect(judge(fill([["method", "cash"]])).note).toBeNull();
    const carded = fill([["method", "cash"], ["focus", "note"], ...keys("4111 1111 1111 1111")]);
    expect(() => judge(carded)).toThrow(
      expect.objectContaining({ code: ErrorCodes.PAYMENT_CARD_NUMBER_IN_TEXT }),
    );
  });

  it("takes cash with quick-cash buttons and shows the change due", () => {
    const form = fill([
      ["method", "cash"],
      ["quick-cash", "25000"],
    ]);
    expect(form.focus).toBe("amountTendered");
    expect(changeDue(form, SETUP)).toEqual({ minor: 5000, currency: "USD" });
    const record = judge(form);
    expect(record.method).toEqual({
      type: "cash",
      amountTendered: { minor: 25_000, currency: "USD" },
      changeDue: { minor: 5_000, currency: "USD" },
    });
    expect(record.paymentDate).toBe(TODAY);
  });

  it("offers the exact amount and the next round sums", () => {
    expect(quickCash(4_250, 2)).toEqual([4_250, 4_500, 5_000, 6_000, 10_000]);
    expect(quickCash(2_000, 2)).toEqual([2_000, 5_000, 10_000]);
    expect(quickCash(0, 2)).toEqual([]);
    expect(quickCash(1_234, 0)).toEqual([1_234, 1_235, 1_240, 1_250, 1_300]);
  });

  it("sends a short amount tendered to the rules and shows their error beside the field", () => {
    const form = fill([["method", "cash"], ...keys("100")]);
    expect(changeDue(form, SETUP)).toBeNull();
    try {
      judge(form);
      expect.unreachable();
    } catch (error) {
      if (!isKioskError(error)) throw error;
      expect(error.code).toBe(ErrorCodes.PAYMENT_CASH_TENDERED_SHORT);
      expect(fieldOfError(error.code, error.detail, form)).toBe("amountTendered");
    }
  });

  it("records a check with its number and an earlier payment date from the picker", () => {
    const form = fill([
      ["method", "check"],
      ...keys("1042"),
      ["date-open", "paymentDate"],
      ["date-month", "-1"],
      ["date-pick", "2026-10-30"],
    ]);
    expect(form.picker).toBeNull();
    const record = judge(form);
    expect(record.method).toEqual({ type: "check", checkNumber: "1042" });
    expect(record.paymentDate).toBe("2026-10-30");
  });

  it("makes a future payment with a due date and no payment date, refundable until a date", () => {
    const form = fill([
      ["method", "card"],
      ["card-type", "Visa"],
      ["card-entry", "manual"],
      ["toggle", "futurePayment"],
      ["date-pick", "2026-12-15"],
      ["toggle", "refundable"],
      ["date-open", "refundableUntil"],
      ["date-pick", "2027-01-15"],
    ]);
    const record = judge(form);
    expect(record).toMatchObject({
      futurePayment: true,
      dueDate: "2026-12-15",
      paymentDate: null,
      status: "scheduled",
      refundable: true,
      refundableUntil: "2027-01-15",
    });
  });

  it("refuses a future payment without a due date before asking the ledger", () => {
    const form = fill([["method", "cash"], ["toggle", "futurePayment"], ["date-close"]]);
    expect(draftOf(form, INVOICE, SETUP)).toMatchObject({
      errors: { dueDate: { code: ErrorCodes.PAYMENT_DUE_DATE_NOT_AFTER_TODAY } },
    });
  });

  it("takes a card with a manual authorization code; only manual entry is offered without a processor", () => {
    const form = fill([["method", "card"]]);
    expect(form.menu).toBe("cardType");
    expect(form.cardEntry).toBe("manual");
    expect(form.focus).toBe("authorizationCode");
    const record = judge(fill([["card-type", "Mastercard"], ...keys("ab12cd")], form));
    expect(record.method).toMatchObject({
      type: "card",
      entryMode: "manual",
      authorizationCode: "AB12CD",
      cardType: "Mastercard",
    });
    expect(record.status).toBe("completed");
    expect(touchForm(form, "card-entry", "swiped", ctx)).toBe(form);
  });

  it("refunds a payment: the amount and method follow the payment chosen", () => {
    const form = fill([
      ["kind", "refund"],
      ["refund-of", "rec-cash"],
    ]);
    expect(form).toMatchObject({ kind: "refund", amount: "5000", methodId: "cash", refundOf: "rec-cash" });
    const built = draftOf(form, INVOICE, SETUP);
    expect(built).toMatchObject({
      draft: { kind: "refund", refundOf: "rec-cash", methodFields: { amountTenderedMinor: null } },
    });
  });

  it("ignores touches that do not fit", () => {
    const form = newForm(INVOICE, TODAY);
    expect(touchForm(form, "method", "bitcoin", ctx)).toBe(form);
    expect(touchForm(form, "kind", "gift", ctx)).toBe(form);
    expect(touchForm(form, "date-pick", "2026-02-30", ctx)).toBe(form);
    expect(touchForm(form, "quick-cash", "500", ctx)).toBe(form);
    expect(touchForm(form, "refund-of", "rec-cash", ctx)).toBe(form);
  });

  it("puts each rule's coded error beside its field", () => {
    const form = newForm(INVOICE, TODAY);
    expect(fieldOfError(ErrorCodes.PAYMENT_EXCEEDS_BALANCE, "", form)).toBe("amount");
    expect(fieldOfError(ErrorCodes.PAYMENT_CHECK_NUMBER_INVALID, "", form)).toBe("checkNumber");
    expect(fieldOfError(ErrorCodes.PAYMENT_AUTH_CODE_INVALID, "", form)).toBe("authorizationCode");
    expect(fieldOfError(ErrorCodes.PAYMENT_DATE_IN_FUTURE, "", form)).toBe("paymentDate");
    expect(fieldOfError(ErrorCodes.PAYMENT_DATE_INVALID, "Due date must be…", form)).toBe("dueDate");
    expect(fieldOfError(ErrorCodes.PAYMENT_REFUNDABLE_UNTIL_BEFORE_PAYMENT, "", form)).toBe(
      "refundableUntil",
    );
    expect(fieldOfError(ErrorCodes.REFUND_ORIGINAL_INVALID, "", form)).toBe("refundOf");
    expect(fieldOfError(ErrorCodes.PAYMENT_CARD_NUMBER_IN_TEXT, "The reference looks like…", form)).toBe(
      "reference",
    );
    expect(fieldOfError(ErrorCodes.PAYMENT_CARD_NUMBER_IN_TEXT, "The note looks like…", form)).toBe("note");
    expect(fieldOfError(ErrorCodes.STORE_BUSY, "", form)).toBe("form");
  });
});
