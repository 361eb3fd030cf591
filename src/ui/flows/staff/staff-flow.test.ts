import { describe, expect, it } from "vitest";
import { ErrorCodes } from "../../../core/error-codes.js";
import { staffScreenOf } from "./screens.js";
import { startStaff } from "./staff-flow.js";
import type { StaffSetup, StaffState } from "./state.js";
import { CASHIER, INVOICE, MANAGER, run, SETUP, T0, TODAY, touch, usd } from "./test-setup.test-helpers.js";
import type { SavedView, ShiftReportView, StaffMemberView } from "./views.js";

/** Runs events in order, returning the last state and every effect asked for. */

function signedIn(staff: StaffMemberView = MANAGER, setup: StaffSetup = SETUP): StaffState {
  const start = startStaff({ setup, today: TODAY, kioskLocked: false });
  return run(start, ...[..."1234"].map((d) => touch("key", d)), touch("submit"), {
    type: "pin-checked",
    staff,
    at: T0,
  }).state;
}

function onForm(staff: StaffMemberView = MANAGER, setup: StaffSetup = SETUP): StaffState {
  return run(
    signedIn(staff, setup),
    touch("new-payment"),
    ...[..."a-1001"].map((k) => touch("key", k)),
    touch("find"),
    { type: "invoice-found", invoice: INVOICE },
  ).state;
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

const REPORT: ShiftReportView = {
  shiftId: "shift-1",
  openedAt: "2026-11-26T15:00:00.000Z",
  closedAt: null,
  byMethod: [],
  payments: { count: 1, total: usd(20_000) },
  refunds: { count: 0, total: usd(0) },
  voids: { count: 0, total: usd(0) },
  futurePayments: { count: 0, total: usd(0) },
  declined: { count: 0, total: usd(0) },
  net: usd(20_000),
  expectedCash: usd(20_000),
  drawerCounts: [],
};

describe("staff flow", () => {
  it("looks an invoice up by number and opens the form", () => {
    const lookup = run(
      signedIn(),
      touch("new-payment"),
      ...[..."a-1001"].map((k) => touch("key", k)),
      touch("find"),
    );
    expect(lookup.effects).toContainEqual({ type: "find-invoice", number: "A-1001" });
    const missing = run(lookup.state, {
      type: "invoice-missing",
      error: { code: ErrorCodes.STAFF_INVOICE_NOT_FOUND, message: "none" },
    });
    expect(staffScreenOf(missing.state)).toMatchObject({
      name: "staff.invoice-lookup",
      error: { code: ErrorCodes.STAFF_INVOICE_NOT_FOUND },
    });
    expect(staffScreenOf(onForm())).toMatchObject({
      name: "staff.payment-form",
      invoice: { number: "A-1001" },
      form: { amount: usd(20_000) },
    });
  });

  it("saves cash, shows the change due and opens the drawer", () => {
    const saving = run(onForm(), touch("method", "cash"), touch("quick-cash", "25000"), touch("save"));
    expect(staffScreenOf(saving.state)).toMatchObject({ form: { changeDue: usd(5_000) }, saving: true });
    const save = saving.effects.find((effect) => effect.type === "save-record");
    expect(save).toMatchObject({
      draft: {
        kind: "payment",
        amountMinor: 20_000,
        methodFields: { type: "cash", amountTenderedMinor: 25_000 },
      },
      staff: MANAGER,
    });
    // Touches while saving change nothing (no double save).
    expect(run(saving.state, touch("save")).effects).toEqual([]);
    const saved = run(saving.state, { type: "record-saved", saved: SAVED });
    expect(saved.effects).toEqual([{ type: "open-drawer" }]);
    expect(staffScreenOf(saved.state)).toMatchObject({
      name: "staff.saved",
      saved: { changeDue: usd(5_000) },
      drawer: "opening",
    });
    const opened = run(saved.state, { type: "drawer-opened" }, touch("done"));
    expect(opened.state.step).toBe("home");
  });

  it("shows a refused record's coded error beside its field and keeps the form", () => {
    const saving = run(onForm(), touch("method", "check"), touch("save")).state;
    const refused = run(saving, {
      type: "record-refused",
      error: { code: ErrorCodes.PAYMENT_CHECK_NUMBER_INVALID, message: "Enter the check number" },
    });
    expect(staffScreenOf(refused.state)).toMatchObject({
      name: "staff.payment-form",
      saving: false,
      errors: { checkNumber: { code: ErrorCodes.PAYMENT_CHECK_NUMBER_INVALID } },
    });
    const typed = run(refused.state, touch("key", "7"));
    expect(staffScreenOf(typed.state)).toMatchObject({ errors: {}, form: { checkNumber: "7" } });
  });

  it("with payment pages, shows a card payment's QR code at the desk, and closes it when staff cancel", () => {
    const phone = { ...SETUP, processorKind: "gateway" as const, payByPhone: true };
    const started = run(onForm(MANAGER, phone), touch("method", "card"), touch("pay-phone"));
    expect(started.effects).toMatchObject([
      {
        type: "start-pay-link",
        draft: { amountMinor: 20_000, methodFields: { entryMode: "keyed" } },
        invoiceNumber: "A-1001",
      },
    ]);
    const link = {
      url: "https://pay.example/cs_test_9",
      expiresAt: "2026-11-26T18:00:00Z",
      qr: { size: 21, path: "M0 0h7v1h-7z" },
    };
    const waiting = run(started.state, { type: "pay-link-ready", link });
    expect(staffScreenOf(waiting.state)).toMatchObject({ name: "staff.phone", phase: "waiting", link });
    expect(run(waiting.state, { type: "record-saved", saved: SAVED }).state.step).toBe("saved");
    const closing = run(waiting.state, touch("cancel"));
    expect(closing.effects).toEqual([{ type: "close-pay-link" }]);
    const back = run(closing.state, {
      type: "record-refused",
      error: { code: "CARD_COLLECTION_CANCELLED", message: "The payment page was closed." },
    });
    expect(back.state).toMatchObject({ step: "payment-form", errors: {} });
    // Without payment pages there is nothing to show.
    expect(run(onForm(MANAGER, SETUP), touch("method", "card"), touch("pay-phone")).effects).toEqual([]);
  });

  it("with a smart reader, hands a card payment to the reader and lets staff cancel or try again", () => {
    const reader = { ...SETUP, processorKind: "gateway" as const, smartReader: true };
    const started = run(
      onForm(MANAGER, reader),
      touch("method", "card"),
      touch("card-entry", "swiped"),
      touch("save"),
    );
    expect(started.effects).toMatchObject([
      { type: "collect-on-reader", draft: { amountMinor: 20_000 }, staff: MANAGER },
    ]);
    expect(staffScreenOf(started.state)).toMatchObject({
      name: "staff.card-swipe",
      via: "reader",
      reader: "starting",
    });
    const waiting = run(started.state, { type: "reader-progress", step: "waiting-for-card" });
    expect(staffScreenOf(waiting.state)).toMatchObject({ reader: "waiting" });
    // Staff cancel: the reader is told; nothing else is taken until its answer.
    const cancelling = run(waiting.state, touch("cancel"));
    expect(cancelling.effects).toEqual([{ type: "cancel-reader" }]);
    expect(run(cancelling.state, touch("cancel"), touch("retry")).effects).toEqual([]);
    const cancelled = run(cancelling.state, {
      type: "record-refused",
      error: { code: "CARD_COLLECTION_CANCELLED", message: "The card collection was cancelled." },
    });
    expect(staffScreenOf(cancelled.state)).toMatchObject({
      reader: null,
      error: { code: "CARD_COLLECTION_CANCELLED" },
    });
    const again = run(cancelled.state, touch("retry"));
    expect(again.effects).toMatchObject([{ type: "collect-on-reader" }]);
    expect(run(again.state, { type: "record-saved", saved: SAVED }).state.step).toBe("saved");
    expect(run(cancelled.state, touch("cancel")).state.step).toBe("payment-form");
  });

  it("sends a swiped card payment to the swipe screen and a keyed one to the processor's page", () => {
    const gateway = { ...SETUP, processorKind: "gateway" as const };
    const swipe = run(
      onForm(MANAGER, gateway),
      touch("method", "card"),
      touch("card-entry", "swiped"),
      touch("save"),
    );
    expect(swipe.effects).toEqual([]);
    expect(staffScreenOf(swipe.state)).toMatchObject({ name: "staff.card-swipe", amount: usd(20_000) });
    const declined = run(
      swipe.state,
      { type: "card-charging" },
      {
        type: "record-refused",
        error: { code: ErrorCodes.PROCESSOR_DECLINED, message: "declined" },
      },
    );
    expect(staffScreenOf(declined.state)).toMatchObject({
      charging: false,
      error: { code: ErrorCodes.PROCESSOR_DECLINED },
    });
    expect(run(declined.state, touch("use-auth-code")).state).toMatchObject({
      step: "payment-form",
      form: { cardEntry: "manual" },
    });

    const keyed = run(
      onForm(MANAGER, gateway),
      touch("method", "card"),
      touch("card-entry", "keyed"),
      touch("save"),
    );
    expect(keyed.effects).toMatchObject([{ type: "start-keyed-entry" }]);
    const opened = run(
      keyed.state,
      { type: "keyed-entry-opened", url: "http://gw/hosted/s1", sessionId: "s1", collection: 1 },
      { type: "keyed-entry-completed", sessionId: "s1", collection: 1 },
    );
    expect(opened.effects).toMatchObject([{ type: "charge-keyed", sessionId: "s1", collection: 1 }]);
  });

  it("offers to save a keyed card only where the processor keeps keyed cards, and charges with that consent", () => {
    const keyedOn = (setup: StaffSetup) =>
      run(
        onForm(MANAGER, setup),
        touch("method", "card"),
        touch("card-entry", "keyed"),
        touch("toggle", "saveCard"),
      );
    // Stripe's keyed page keeps no card: the box is not offered, and no consent goes with the charge.
    const stripe = keyedOn({ ...SETUP, processorKind: "gateway", saveCards: true, saveKeyedCards: false });
    expect(staffScreenOf(stripe.state)).toMatchObject({ form: { saveCard: null } });
    // Authorize.Net keeps the hosted form's profile when the client agrees (deleted otherwise).
    const authorizeNet = keyedOn({
      ...SETUP,
      processorKind: "gateway",
      saveCards: true,
      saveKeyedCards: true,
    });
    expect(staffScreenOf(authorizeNet.state)).toMatchObject({ form: { saveCard: true } });
    const started = run(authorizeNet.state, touch("save"));
    expect(started.effects).toMatchObject([{ type: "start-keyed-entry" }]);
    const charged = run(
      started.state,
      { type: "keyed-entry-opened", url: "http://gw/hosted/s2", sessionId: "s2", collection: 2 },
      { type: "keyed-entry-completed", sessionId: "s2", collection: 2 },
    );
    expect(charged.effects).toMatchObject([{ type: "charge-keyed", sessionId: "s2", saveCard: true }]);
    // Going to a swipe and back keeps the tick only where it is offered.
    const toManual = run(authorizeNet.state, touch("card-entry", "manual"));
    expect(toManual.state).toMatchObject({ form: { saveCard: false } });
  });

  it("lets only a manager void, with a confirmation, and reloads the list after", () => {
    expect(staffScreenOf(run(signedIn(CASHIER), touch("void")).state)).toMatchObject({
      name: "staff.home",
      notice: { code: ErrorCodes.STAFF_ROLE_REQUIRED },
    });
    const line = {
      id: "rec-9",
      kind: "payment" as const,
      invoiceNumber: "A-1001",
      amount: usd(20_000),
      methodName: "Cash",
      status: "completed",
      createdAt: "2026-11-26T17:00:00.000Z",
      staffId: "mgr",
    };
    const list = run(
      signedIn(),
      touch("void"),
      { type: "shift-records", records: [line] },
      touch("select", "rec-9"),
    );
    expect(list.effects).toEqual([{ type: "load-shift-records" }]);
    expect(staffScreenOf(list.state)).toMatchObject({
      name: "staff.confirm",
      confirm: { action: "void", record: line },
    });
    const voided = run(list.state, touch("yes"), { type: "record-voided", recordId: "rec-9" });
    expect(voided.effects).toEqual([
      { type: "void-record", recordId: "rec-9", staff: MANAGER },
      { type: "load-shift-records" },
    ]);
    expect(staffScreenOf(voided.state)).toMatchObject({ name: "staff.void-list", voided: "rec-9" });
  });

  it("lists card work that needs a person, and takes a followed-up offline decline off the list", () => {
    const decline = {
      recordId: "rec-7",
      kind: "offline-declined" as const,
      invoiceNumber: "A-1001",
      clientName: "Ana Núñez",
      amount: usd(4_500),
      outcome: "card_declined",
      at: "2026-11-26T16:00:00.000Z",
      attempts: null,
      actions: ["acknowledge" as const],
      payLink: null,
    };
    const collection = {
      ...decline,
      recordId: "rec-8",
      kind: "collection-failed" as const,
      attempts: 2,
      actions: ["retry-saved-card" as const, "collected-elsewhere" as const, "cancel" as const],
    };
    const list = run(signedIn(CASHIER), touch("attention"), {
      type: "attention-items",
      items: [decline, collection],
    });
    expect(list.effects).toEqual([{ type: "load-attention" }]);
    expect(staffScreenOf(list.state)).toMatchObject({
      name: "staff.attention",
      items: [decline, collection],
    });
    // A failed collection is not acknowledged here (it is tried again, or collected another way).
    expect(run(list.state, touch("acknowledge", "rec-8")).effects).toEqual([]);
    expect(run(list.state, touch("acknowledge", "nope")).effects).toEqual([]);
    const acknowledged = run(list.state, touch("acknowledge", "rec-7"));
    expect(acknowledged.effects).toEqual([
      { type: "follow-up", recordId: "rec-7", action: "acknowledge", text: null, staff: CASHIER },
    ]);
    expect(staffScreenOf(acknowledged.state)).toMatchObject({ name: "staff.attention", items: null });
    expect(staffScreenOf(run(list.state, touch("home")).state)).toMatchObject({ name: "staff.home" });
  });

  it("an action that needs words opens the keyboard first; one that needs none runs at once", () => {
    const due = {
      recordId: "rec-5",
      kind: "collection-failed" as const,
      invoiceNumber: "A-1001",
      clientName: "Ana Núñez",
      amount: usd(4_500),
      outcome: "card_declined",
      at: null,
      attempts: 3,
      actions: ["retry-saved-card" as const, "collected-elsewhere" as const, "cancel" as const],
      payLink: null,
    };
    const list = run(signedIn(CASHIER), touch("attention"), { type: "attention-items", items: [due] });
    // Not one of the item's actions: nothing happens.
    expect(run(list.state, touch("collect-cash", "rec-5")).effects).toEqual([]);
    expect(run(list.state, touch("retry-saved-card", "rec-5")).effects).toEqual([
      { type: "follow-up", recordId: "rec-5", action: "retry-saved-card", text: null, staff: CASHIER },
    ]);
    let typing = run(list.state, touch("cancel", "rec-5"));
    expect(typing.effects).toEqual([]);
    expect(staffScreenOf(typing.state)).toMatchObject({
      entry: { recordId: "rec-5", action: "cancel", text: "", item: { recordId: "rec-5" } },
    });
    // Nothing typed: confirm does nothing.
    expect(run(typing.state, touch("confirm")).effects).toEqual([]);
    for (const key of "MOVED AWAY") typing = run(typing.state, touch("key", key));
    typing = run(typing.state, touch("backspace"));
    const confirmed = run(typing.state, touch("confirm"));
    expect(confirmed.effects).toEqual([
      { type: "follow-up", recordId: "rec-5", action: "cancel", text: "MOVED AWA", staff: CASHIER },
    ]);
    // Back leaves the keyboard without doing anything.
    expect(staffScreenOf(run(typing.state, touch("back")).state)).toMatchObject({ entry: null });
    // A refusal comes back with the list.
    const refused = run(confirmed.state, {
      type: "effect-failed",
      error: { code: "FOLLOW_UP_TEXT_INVALID", message: "Type the reason" },
    });
    expect(staffScreenOf(refused.state)).toMatchObject({ error: { code: "FOLLOW_UP_TEXT_INVALID" } });
  });

  it("runs the X report for anyone and the Z report for a manager after confirming", () => {
    const x = run(signedIn(CASHIER), touch("report-x"), { type: "report-ready", report: REPORT });
    expect(x.effects).toEqual([{ type: "load-report", staff: CASHIER }]);
    expect(staffScreenOf(x.state)).toMatchObject({
      name: "staff.report",
      kind: "x",
      report: { expectedCash: usd(20_000) },
    });
    expect(run(signedIn(CASHIER), touch("report-z")).state.step).toBe("home");
    const z = run(signedIn(), touch("report-z"), touch("yes"), {
      type: "report-ready",
      report: { ...REPORT, closedAt: "x" },
    });
    expect(z.effects).toEqual([{ type: "close-day", staff: MANAGER }]);
    expect(staffScreenOf(z.state)).toMatchObject({ name: "staff.report", kind: "z" });
  });

  it("records a drawer count against the expected cash", () => {
    const counted = run(
      signedIn(CASHIER),
      touch("drawer-count"),
      { type: "report-ready", report: REPORT },
      ...[..."19950"].map((d) => touch("key", d)),
      touch("save"),
    );
    expect(counted.effects).toEqual([
      { type: "load-report", staff: CASHIER },
      { type: "record-drawer-count", countedMinor: 19_950, staff: CASHIER },
    ]);
    expect(staffScreenOf(counted.state)).toMatchObject({
      name: "staff.drawer-count",
      expected: usd(20_000),
      counted: usd(19_950),
      saving: true,
    });
  });

  it("locks the kiosk and lets only a manager unlock it", () => {
    const locked = run(signedIn(CASHIER), touch("lock"), touch("yes"));
    expect(locked.effects).toEqual([{ type: "lock-kiosk", staff: CASHIER }]);
    const home = run(locked.state, { type: "lock-changed", locked: true });
    expect(staffScreenOf(home.state)).toMatchObject({ name: "staff.home", kioskLocked: true });
    expect(staffScreenOf(run(home.state, touch("unlock")).state)).toMatchObject({
      notice: { code: ErrorCodes.STAFF_ROLE_REQUIRED },
    });
    const manager = run(signedIn(), { type: "lock-changed", locked: true }, touch("unlock"), touch("yes"));
    expect(manager.effects).toEqual([{ type: "unlock-kiosk", staff: MANAGER }]);
  });

  it("signs out from any screen and ignores touches meant for other screens", () => {
    expect(run(onForm(), touch("sign-out")).effects).toEqual([{ type: "leave-staff" }]);
    const home = signedIn();
    expect(run(home, touch("yes"), touch("find"), touch("select", "x")).state).toEqual(home);
  });
});

describe("saved cards at the desk", () => {
  const STRIPE: StaffSetup = { ...SETUP, processorKind: "gateway", smartReader: true, saveCards: true };
  const CARD = { token: "pm_saved_4444", brand: "Mastercard", last4: "4444", expiry: "12/2030" };
  const withCards = (setup: StaffSetup): StaffState =>
    run(
      signedIn(MANAGER, setup),
      touch("new-payment"),
      ...[..."a-1001"].map((k) => touch("key", k)),
      touch("find"),
      { type: "invoice-found", invoice: { ...INVOICE, savedCards: [CARD] } },
    ).state;

  it("offers 'Save this card' unticked for a card taken at the reader, and sends the consent with it", () => {
    const form = run(withCards(STRIPE), touch("method", "card"), touch("card-entry", "swiped"));
    expect(staffScreenOf(form.state)).toMatchObject({ form: { saveCard: false } });
    const plain = run(form.state, touch("save"));
    expect(plain.effects).toMatchObject([{ type: "collect-on-reader", saveCard: false }]);
    const ticked = run(form.state, touch("toggle", "saveCard"), touch("save"));
    expect(ticked.effects).toMatchObject([{ type: "collect-on-reader", saveCard: true, staff: MANAGER }]);
    // Not offered for a future payment, nor where the processor keeps no cards.
    const future = run(form.state, touch("toggle", "futurePayment"));
    expect(staffScreenOf(future.state)).toMatchObject({ form: { saveCard: null } });
    const manual = run(withCards(SETUP), touch("method", "card"), touch("card-entry", "manual"));
    expect(staffScreenOf(manual.state)).toMatchObject({ form: { saveCard: null, savedCards: [] } });
  });

  it("lists the client's saved cards and charges the one staff pick", () => {
    const form = run(withCards(STRIPE), touch("method", "card"));
    expect(staffScreenOf(form.state)).toMatchObject({ form: { savedCards: [CARD], savedCard: null } });
    const picked = run(form.state, touch("saved-card", CARD.token));
    expect(staffScreenOf(picked.state)).toMatchObject({
      form: { savedCard: CARD.token, cardType: "Mastercard", cardEntry: "keyed", saveCard: null },
    });
    const saved = run(picked.state, touch("save"));
    expect(saved.effects).toMatchObject([
      {
        type: "charge-saved-card",
        token: CARD.token,
        staff: MANAGER,
        draft: { amountMinor: 20_000, methodFields: { type: "card", entryMode: "keyed" } },
      },
    ]);
    expect(staffScreenOf(saved.state)).toMatchObject({ name: "staff.payment-form", saving: true });
    // A decline comes back to the form, with its reason.
    const declined = run(saved.state, {
      type: "record-refused",
      error: { code: "PROCESSOR_INSUFFICIENT_FUNDS", message: "Insufficient funds." },
    });
    expect(staffScreenOf(declined.state)).toMatchObject({
      saving: false,
      errors: { form: { code: "PROCESSOR_INSUFFICIENT_FUNDS" } },
    });
    // A token not on the client's list is ignored; choosing an entry mode drops the saved card.
    expect(staffScreenOf(run(form.state, touch("saved-card", "pm_other")).state)).toMatchObject({
      form: { savedCard: null },
    });
    expect(staffScreenOf(run(picked.state, touch("card-entry", "swiped")).state)).toMatchObject({
      form: { savedCard: null, cardEntry: "swiped" },
    });
  });
});
