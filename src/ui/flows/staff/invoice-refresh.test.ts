import { describe, expect, it } from "vitest";
import { ErrorCodes } from "../../../core/error-codes.js";
import type { StaffEvent } from "./events.js";
import { staffScreenOf } from "./screens.js";
import { startStaff } from "./staff-flow.js";
import type { StaffSetup, StaffState } from "./state.js";
import { INVOICE, MANAGER, run, SETUP, T0, TODAY, touch, usd } from "./test-setup.test-helpers.js";
import type { InvoiceView } from "./views.js";

const changed = (...invoiceIds: string[]): StaffEvent => ({ type: "invoices-changed", invoiceIds });
const refreshed = (invoice: InvoiceView): StaffEvent => ({ type: "invoice-refreshed", invoice });

function onForm(setup: StaffSetup = SETUP): StaffState {
  const start = startStaff({ setup, today: TODAY, kioskLocked: false });
  return run(
    start,
    ...[..."1234"].map((d) => touch("key", d)),
    touch("submit"),
    { type: "pin-checked", staff: MANAGER, at: T0 },
    touch("new-payment"),
    ...[..."a-1001"].map((k) => touch("key", k)),
    touch("find"),
    { type: "invoice-found", invoice: INVOICE },
  ).state;
}

/** INVOICE (balance 200.00, 50.00 paid here) after `paidMinor` more was paid elsewhere. */
const paidElsewhere = (paidMinor: number): InvoiceView => ({
  ...INVOICE,
  paid: usd(5_000 + paidMinor),
  balance: usd(20_000 - paidMinor),
  payable: usd(20_000 - paidMinor),
});

describe("staff: the invoice on the form follows central's balances", () => {
  it("looks the invoice on the form up again when central changed it, and only then", () => {
    const form = onForm();
    expect(run(form, changed("inv-1")).effects).toEqual([{ type: "refresh-invoice", number: "A-1001" }]);
    expect(run(form, changed("inv-2")).effects).toEqual([]);
    expect(
      run(startStaff({ setup: SETUP, today: TODAY, kioskLocked: false }), changed("inv-1")).effects,
    ).toEqual([]);
  });

  it("shows the new balance, and marks the amount (filled with the old balance) as more than is owed", () => {
    const next = run(onForm(), refreshed(paidElsewhere(5_000))).state;
    expect(staffScreenOf(next)).toMatchObject({
      name: "staff.payment-form",
      invoice: { balance: usd(15_000), paid: usd(10_000), payable: usd(15_000) },
      form: { amount: usd(20_000) },
      errors: {
        amount: {
          code: ErrorCodes.PAYMENT_EXCEEDS_BALANCE,
          message: "This is more than is owed: the most you can pay now is 150.00 USD.",
        },
      },
    });
    // Nothing left to pay: the same words say so.
    const paidUp = run(onForm(), refreshed(paidElsewhere(20_000))).state;
    expect(staffScreenOf(paidUp)).toMatchObject({
      errors: { amount: { message: "This is more than is owed: the most you can pay now is 0.00 USD." } },
    });
  });

  it("an amount within the new balance is left alone, and a mark the refresh set goes when it fits again", () => {
    const typed = run(onForm(), touch("clear"), ...[..."10000"].map((k) => touch("key", k))).state;
    const within = run(typed, refreshed(paidElsewhere(5_000))).state;
    expect(staffScreenOf(within)).toMatchObject({ invoice: { payable: usd(15_000) }, errors: {} });
    const marked = run(onForm(), refreshed(paidElsewhere(5_000))).state;
    // A refund elsewhere brings the balance back: the mark goes.
    expect(staffScreenOf(run(marked, refreshed(INVOICE)).state)).toMatchObject({ errors: {} });
  });

  it("a refund above what is refundable now is marked with the ledger's code", () => {
    const refund = run(onForm(), touch("kind", "refund")).state;
    const next = run(refund, refreshed({ ...INVOICE, refundable: usd(2_000) })).state;
    expect(staffScreenOf(next)).toMatchObject({
      errors: { amount: { code: ErrorCodes.REFUND_EXCEEDS_NET_PAID } },
    });
  });

  it("on the swipe screen before a charge goes back to the form, marked; during a charge nothing changes", () => {
    const gateway = { ...SETUP, processorKind: "gateway" as const };
    const swipe = run(
      onForm(gateway),
      touch("method", "card"),
      touch("card-entry", "swiped"),
      touch("save"),
    ).state;
    expect(swipe.step).toBe("card-swipe");
    expect(run(swipe, changed("inv-1")).effects).toEqual([{ type: "refresh-invoice", number: "A-1001" }]);
    const back = run(swipe, refreshed(paidElsewhere(5_000))).state;
    expect(staffScreenOf(back)).toMatchObject({
      name: "staff.payment-form",
      invoice: { payable: usd(15_000) },
      errors: { amount: { code: ErrorCodes.PAYMENT_EXCEEDS_BALANCE } },
    });
    const charging = run(swipe, { type: "card-charging" }).state;
    expect(run(charging, changed("inv-1"))).toEqual({ state: charging, effects: [] });
    expect(run(charging, refreshed(paidElsewhere(5_000))).state).toBe(charging);
    const saving = run(onForm(), touch("method", "cash"), touch("save")).state;
    expect(saving).toMatchObject({ step: "payment-form", saving: true });
    expect(run(saving, refreshed(paidElsewhere(5_000))).state).toBe(saving);
  });
});
