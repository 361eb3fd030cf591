import { describe, expect, it } from "vitest";
import { ErrorCodes } from "../../../core/error-codes.js";
import { staffScreenOf } from "./screens.js";
import { startStaff } from "./staff-flow.js";
import type { StaffSetup, StaffState } from "./state.js";
import { INVOICE, MANAGER, run, SETUP, T0, TODAY, touch, usd } from "./test-setup.test-helpers.js";
import type { RecordLine, SavedView } from "./views.js";

const PRINTING: StaffSetup = { ...SETUP, printer: true, emailReceipts: true };

function home(setup: StaffSetup): StaffState {
  const start = startStaff({ setup, today: TODAY, kioskLocked: false });
  return run(start, ...[..."1234"].map((d) => touch("key", d)), touch("submit"), {
    type: "pin-checked",
    staff: MANAGER,
    at: T0,
  }).state;
}

function saved(setup: StaffSetup, record: SavedView = SAVED) {
  const form = run(
    home(setup),
    touch("new-payment"),
    ...[..."a-1001"].map((k) => touch("key", k)),
    touch("find"),
    {
      type: "invoice-found",
      invoice: INVOICE,
    },
  ).state;
  return run(form, { type: "record-saved", saved: record });
}

const SAVED: SavedView = {
  recordId: "rec-9",
  kind: "payment",
  invoiceNumber: "A-1001",
  amount: usd(20_000),
  methodName: "Cash",
  status: "completed",
  paymentDate: TODAY,
  dueDate: null,
  refundableUntil: null,
  amountTendered: usd(25_000),
  changeDue: usd(5_000),
  authorizationCode: null,
  maskedPan: null,
};

const LINE: RecordLine = {
  id: "rec-7",
  kind: "refund",
  invoiceNumber: "A-1001",
  amount: usd(1_000),
  methodName: "Cash",
  status: "completed",
  createdAt: "2026-11-26T16:00:00.000Z",
  staffId: "mgr",
};

describe("staff receipts", () => {
  it("prints every saved record's receipt, and shows whether it came out", () => {
    const { state, effects } = saved(PRINTING);
    expect(effects).toContainEqual({ type: "print-receipt", recordId: "rec-9", reprint: false });
    let screen = staffScreenOf(state);
    expect(screen.name === "staff.saved" && screen.receipt?.state).toBe("printing");
    const printed = run(state, { type: "receipt-printed", recordId: "rec-9" }).state;
    screen = staffScreenOf(printed);
    expect(screen.name === "staff.saved" && screen.receipt?.state).toBe("printed");
  });

  it("prints future payments and refunds too, but no receipt for a declined card", () => {
    const future = saved(PRINTING, {
      ...SAVED,
      status: "scheduled",
      paymentDate: null,
      dueDate: "2026-12-15",
    });
    expect(future.effects).toContainEqual({ type: "print-receipt", recordId: "rec-9", reprint: false });
    const refund = saved(PRINTING, { ...SAVED, kind: "refund" });
    expect(refund.effects).toContainEqual({ type: "print-receipt", recordId: "rec-9", reprint: false });
    const declined = saved(PRINTING, { ...SAVED, status: "declined" });
    expect(declined.effects.some((effect) => effect.type === "print-receipt")).toBe(false);
  });

  it("prints nothing without a printer", () => {
    const { state, effects } = saved(SETUP);
    expect(effects.some((effect) => effect.type === "print-receipt")).toBe(false);
    const again = run(state, touch("reprint", "rec-9"));
    expect(again.effects).toEqual([]);
  });

  it("shows the printer's coded refusal, and prints again as a copy", () => {
    const { state } = saved(PRINTING);
    const failed = run(state, {
      type: "receipt-not-printed",
      recordId: "rec-9",
      error: { code: ErrorCodes.PRINTER_PAPER_OUT, message: "out of paper" },
    }).state;
    const screen = staffScreenOf(failed);
    expect(screen.name === "staff.saved" && screen.receipt?.error?.code).toBe(ErrorCodes.PRINTER_PAPER_OUT);
    const again = run(failed, touch("reprint", "rec-9"));
    expect(again.effects).toEqual([{ type: "print-receipt", recordId: "rec-9", reprint: true }]);
    // Only the record on the screen can be printed from it.
    expect(run(failed, touch("reprint", "rec-other")).effects).toEqual([]);
  });

  it("lists the shift's records and prints a copy of any, marked as a reprint", () => {
    const opened = run(home(PRINTING), touch("receipts"));
    expect(opened.effects).toEqual([{ type: "load-shift-records" }]);
    const listed = run(opened.state, { type: "shift-records", records: [LINE] }).state;
    const reprint = run(listed, touch("reprint", "rec-7"));
    expect(reprint.effects).toEqual([{ type: "print-receipt", recordId: "rec-7", reprint: true }]);
    // A second touch while it prints does not print twice.
    expect(run(reprint.state, touch("reprint", "rec-7")).effects).toEqual([]);
    const done = run(reprint.state, { type: "receipt-printed", recordId: "rec-7" }).state;
    const screen = staffScreenOf(done);
    expect(screen.name === "staff.receipts" && screen.receipt?.state).toBe("printed");
    expect(run(listed, touch("reprint", "rec-unknown")).effects).toEqual([]);
  });

  it("offers Receipts on the home screen only with a printer or email", () => {
    const without = staffScreenOf(home(SETUP));
    expect(without.name === "staff.home" && without.receipts).toBe(false);
    expect(run(home(SETUP), touch("receipts")).effects).toEqual([]);
    const withPrinter = staffScreenOf(home(PRINTING));
    expect(withPrinter.name === "staff.home" && withPrinter.receipts).toBe(true);
  });

  it("prints a void's receipt once the void is saved", () => {
    const list = run(home(PRINTING), touch("void"), { type: "shift-records", records: [LINE] }).state;
    const confirm = run(list, touch("select", "rec-7"), touch("yes"));
    expect(confirm.effects).toContainEqual({
      type: "void-record",
      recordId: "rec-7",
      staff: MANAGER,
    });
    const voided = run(confirm.state, { type: "record-voided", recordId: "rec-7" });
    expect(voided.effects).toContainEqual({ type: "print-receipt", recordId: "rec-7", reprint: false });
    const printed = run(voided.state, { type: "receipt-printed", recordId: "rec-7" }).state;
    const screen = staffScreenOf(printed);
    expect(screen.name === "staff.void-list" && screen.receipt?.state).toBe("printed");
  });

  it("emails a receipt: the address typed, checked before it leaves, then central's answer", () => {
    const { state } = saved(PRINTING);
    const open = run(state, touch("email", "rec-9")).state;
    // Typing goes to the address, and a bad address never leaves the kiosk.
    const typed = run(open, ...[..."ana@example"].map((key) => touch("key", key)), touch("email-send"));
    expect(typed.effects).toEqual([]);
    let screen = staffScreenOf(typed.state);
    expect(screen.name === "staff.saved" && screen.email?.error?.code).toBe(ErrorCodes.RECEIPT_EMAIL_INVALID);
    const sent = run(typed.state, touch("key", ".com"), touch("email-send"));
    expect(sent.effects).toEqual([{ type: "email-receipt", recordId: "rec-9", address: "ana@example.com" }]);
    // While it is on its way, nothing else is typed or sent.
    expect(run(sent.state, touch("email-send")).effects).toEqual([]);
    const answered = run(sent.state, { type: "receipt-emailed", recordId: "rec-9", error: null }).state;
    screen = staffScreenOf(answered);
    expect(screen.name === "staff.saved" && screen.email?.sent).toBe("ana@example.com");
    const closed = run(answered, touch("email-close")).state;
    screen = staffScreenOf(closed);
    expect(screen.name === "staff.saved" && screen.email).toBe(null);
  });

  it("shows central's refusal of an email and lets staff try again", () => {
    const { state } = saved(PRINTING);
    const sent = run(
      state,
      touch("email", "rec-9"),
      ...[..."ana@example.com"].map((key) => touch("key", key)),
      touch("email-send"),
    ).state;
    const offline = run(sent, {
      type: "receipt-emailed",
      recordId: "rec-9",
      error: { code: ErrorCodes.RECEIPT_EMAIL_OFFLINE, message: "offline" },
    }).state;
    const screen = staffScreenOf(offline);
    expect(screen.name === "staff.saved" && screen.email?.error?.code).toBe(ErrorCodes.RECEIPT_EMAIL_OFFLINE);
    expect(run(offline, touch("email-send")).effects).toEqual([
      { type: "email-receipt", recordId: "rec-9", address: "ana@example.com" },
    ]);
  });
});
