import { describe, expect, it } from "vitest";
import { ErrorCodes } from "../../../core/error-codes.js";
import type { StaffEvent } from "./events.js";
import { FIND_TEXT_MAX } from "./find-payment.js";
import { staffScreenOf } from "./screens.js";
import { startStaff } from "./staff-flow.js";
import type { StaffSetup, StaffState } from "./state.js";
import { CASHIER, run, SETUP, T0, TODAY, touch } from "./test-setup.test-helpers.js";
import type { FoundPaymentLine } from "./views.js";

const PRINTING: StaffSetup = { ...SETUP, printer: true, emailReceipts: true };

function finding(setup: StaffSetup = PRINTING): StaffState {
  const start = startStaff({ setup, today: TODAY, kioskLocked: false });
  return run(
    start,
    ...[..."1234"].map((d) => touch("key", d)),
    touch("submit"),
    {
      type: "pin-checked",
      staff: CASHIER,
      at: T0,
    },
    touch("find-payment"),
  ).state;
}

const typed = (text: string): StaffEvent[] => [...text].map((key) => touch("key", key));

const FOUND: FoundPaymentLine = {
  id: "rec-1",
  kind: "payment",
  invoiceNumber: "A-1001",
  amount: { minor: 5_000, currency: "USD" },
  methodName: "Cash",
  status: "completed",
  createdAt: "2026-11-26T17:00:00.000Z",
  staffId: "csh",
  clientName: "Ada Núñez",
  date: TODAY,
};

describe("Find a payment on the staff screen", () => {
  it("opens from home for any staff member, with the keyboard and nothing found yet", () => {
    const screen = staffScreenOf(finding(SETUP));
    expect(screen).toMatchObject({ name: "staff.find-payment", text: "", records: null, searching: false });
  });

  it("asks checkout for what was typed (trimmed), then lists what it found", () => {
    const asked = run(finding(), ...typed(" NUNEZ "), touch("find"));
    expect(asked.effects).toEqual([{ type: "find-payments", text: "NUNEZ" }]);
    expect(staffScreenOf(asked.state)).toMatchObject({ searching: true });
    // Keys while it searches change nothing.
    expect(run(asked.state, touch("key", "X")).state).toBe(asked.state);
    const found = run(asked.state, { type: "payments-found", records: [FOUND] }).state;
    expect(staffScreenOf(found)).toMatchObject({ text: "NUNEZ ", searching: false, records: [FOUND] });
    // Change: back to the keyboard with the words kept.
    expect(staffScreenOf(run(found, touch("edit")).state)).toMatchObject({ text: "NUNEZ ", records: null });
  });

  it("bounds what is typed, takes one character a key, and finds nothing for blanks", () => {
    const full = run(finding(), ...typed("9".repeat(FIND_TEXT_MAX + 5))).state;
    expect(staffScreenOf(full)).toMatchObject({ text: "9".repeat(FIND_TEXT_MAX) });
    const blank = run(finding(), touch("key", " "), touch("key", "ab"), touch("find"));
    expect(blank.effects).toEqual([]);
    expect(staffScreenOf(blank.state)).toMatchObject({ text: "" });
    // % and _ are characters like any other; checkout matches them as themselves.
    expect(run(finding(), ...typed("%_"), touch("find")).effects).toEqual([
      { type: "find-payments", text: "%_" },
    ]);
  });

  it("shows checkout's refusal, and offers the receipts list's actions on what it found", () => {
    const refused = run(finding(), ...typed("A"), touch("find"), {
      type: "effect-failed",
      error: { code: ErrorCodes.STAFF_SEARCH_INVALID, message: "no" },
    }).state;
    expect(staffScreenOf(refused)).toMatchObject({
      searching: false,
      error: { code: "STAFF_SEARCH_INVALID" },
    });

    const found = run(finding(), ...typed("A"), touch("find"), { type: "payments-found", records: [FOUND] });
    const reprint = run(found.state, touch("reprint", "rec-1"));
    expect(reprint.effects).toEqual([{ type: "print-receipt", recordId: "rec-1", reprint: true }]);
    // Only a record on the screen: another id prints nothing.
    expect(run(found.state, touch("reprint", "rec-other")).effects).toEqual([]);
    const email = run(found.state, touch("email", "rec-1")).state;
    expect(staffScreenOf(email)).toMatchObject({ email: { recordId: "rec-1" } });
    // Back goes home.
    expect(run(found.state, touch("home")).state.step).toBe("home");
  });
});
