import { describe, expect, it } from "vitest";
import { staffScreenOf } from "./screens.js";
import { startStaff } from "./staff-flow.js";
import { CASHIER, INVOICE, run, SETUP, T0, TODAY, touch } from "./test-setup.test-helpers.js";
import type { AttentionItem } from "./views.js";

const FAILED: AttentionItem = {
  recordId: "rec-5",
  kind: "collection-failed",
  invoiceNumber: "A-1001",
  clientName: "Ada Núñez",
  amount: { minor: 4_500, currency: "USD" },
  outcome: "PROCESSOR_DECLINED",
  at: null,
  attempts: 3,
  actions: ["retry-saved-card", "charge-another-card", "collected-elsewhere", "cancel"],
  payLink: null,
};

describe("Charge another card, for a failed card collection", () => {
  const attention = () =>
    run(
      startStaff({ setup: SETUP, today: TODAY, kioskLocked: false }),
      ...[..."1234"].map((d) => touch("key", d)),
      touch("submit"),
      { type: "pin-checked", staff: CASHIER, at: T0 },
      touch("attention"),
      { type: "attention-items", items: [FAILED] },
    ).state;

  it("asks checkout to close the scheduled record first, then opens the card payment for its amount", () => {
    const closing = run(attention(), touch("charge-another-card", "rec-5"));
    expect(closing.effects).toEqual([
      { type: "follow-up", recordId: "rec-5", action: "charge-another-card", text: null, staff: CASHIER },
    ]);
    const form = run(closing.state, { type: "another-card-ready", invoice: INVOICE, amountMinor: 4_500 });
    expect(staffScreenOf(form.state)).toMatchObject({
      name: "staff.payment-form",
      invoice: { number: "A-1001" },
      form: { kind: "payment", amount: { minor: 4_500 }, methodId: "card", futurePayment: false },
    });
    // The attention list reloaded afterwards does not pull staff off the form.
    expect(run(form.state, { type: "attention-items", items: [] }).state).toBe(form.state);
  });

  it("refused (a collection is charging it, or it was closed meanwhile): the list says why", () => {
    const closing = run(attention(), touch("charge-another-card", "rec-5")).state;
    const refused = run(closing, {
      type: "effect-failed",
      error: { code: "PAYMENT_NOT_COLLECTABLE", message: "no" },
    }).state;
    expect(staffScreenOf(refused)).toMatchObject({
      name: "staff.attention",
      error: { code: "PAYMENT_NOT_COLLECTABLE" },
    });
  });
});
