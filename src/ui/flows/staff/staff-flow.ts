import { ErrorCodes } from "../../../core/error-codes.js";
import { go, stay, type Transition } from "../transition.js";
import type { StaffEffect, StaffEvent } from "./events.js";
import { findPaymentStep } from "./find-payment.js";
import { onInvoiceRefreshed, onInvoicesChanged } from "./invoice-refresh.js";
import { digitsOf, minorOf, typeInto } from "./keypad.js";
import { draftOf, fieldOfError, methodOf, newForm, touchForm } from "./payment-form.js";
import { printAnswered, printing, receiptStep } from "./receipts.js";
import { NO_FAILURES, signInStep } from "./sign-in.js";
import type { FollowUpEntry, SignedState, SignInThrottle, StaffSetup, StaffState } from "./state.js";
import type { ErrorView, FollowUpActionView, InvoiceView, StaffMemberView } from "./views.js";

type Result = Transition<StaffState, StaffEffect>;
type Step<N extends StaffState["step"]> = Extract<StaffState, { step: N }>;

export interface StaffStart {
  readonly setup: StaffSetup;
  readonly today: string;
  readonly kioskLocked: boolean;
  /** Wrong PINs carried over from earlier visits, so leaving and coming back does not reset a lockout. */
  readonly throttle?: SignInThrottle;
}

/** The staff flow starts at the PIN keypad. */
export function startStaff(start: StaffStart): Step<"sign-in"> {
  return {
    step: "sign-in",
    setup: start.setup,
    pin: "",
    throttle: start.throttle ?? NO_FAILURES,
    checking: false,
    error: null,
    kioskLocked: start.kioskLocked,
    today: start.today,
  };
}

function signed(state: SignedState) {
  return { staff: state.staff, setup: state.setup, today: state.today, kioskLocked: state.kioskLocked };
}

function home(state: SignedState, notice: ErrorView | null = null): Step<"home"> {
  return { ...signed(state), step: "home", notice };
}

const managerOnly = (what: string): ErrorView => ({
  code: ErrorCodes.STAFF_ROLE_REQUIRED,
  message: `Only a manager can ${what}.`,
});

/**
 * The staff side of the touchscreen as one pure reducer: sign-in, home, invoice lookup, the
 * Payment/Refund form, card swipe and keyed entry, the saved confirmation, void, X/Z reports,
 * drawer count, lock and unlock. Touches that do not fit the current screen change nothing.
 */
export function staffFlow(state: StaffState, event: StaffEvent): Result {
  if (event.type === "invoices-changed") return onInvoicesChanged(state, event.invoiceIds);
  if (event.type === "invoice-refreshed") return onInvoiceRefreshed(state, event.invoice);
  if (state.step === "sign-in") return signInStep(state, event, (staff) => go(signedIn(state, staff)));
  if (event.type === "lock-changed") {
    const next = { ...state, kioskLocked: event.locked };
    if (state.step === "confirm" && (state.confirm.action === "lock" || state.confirm.action === "unlock")) {
      return go(home(next));
    }
    return go(next);
  }
  if (event.type === "day-changed") return go({ ...state, today: event.today });
  if (event.type === "touch" && event.action === "sign-out") return go(state, { type: "leave-staff" });
  return signedStep(state, event);
}

function signedIn(state: Step<"sign-in">, staff: StaffMemberView): Step<"home"> {
  const { setup, today, kioskLocked } = state;
  return { step: "home", staff, setup, today, kioskLocked, notice: null };
}

function signedStep(state: SignedState, event: StaffEvent): Result {
  switch (state.step) {
    case "home":
      return homeStep(state, event);
    case "invoice-lookup":
      return lookupStep(state, event);
    case "payment-form":
      return formStep(state, event);
    case "card-swipe":
      return swipeStep(state, event);
    case "keyed-entry":
      return keyedStep(state, event);
    case "phone":
      return phoneStep(state, event);
    case "saved":
      return savedStep(state, event);
    case "receipts":
      return receiptsStep(state, event);
    case "find-payment":
      return findPaymentStep(state, event, () => go(home(state)));
    case "void-list":
      return voidListStep(state, event);
    case "attention":
      return attentionStep(state, event);
    case "confirm":
      return confirmStep(state, event);
    case "report":
      return reportStep(state, event);
    case "drawer-count":
      return drawerCountStep(state, event);
  }
}

function homeStep(state: Step<"home">, event: StaffEvent): Result {
  if (event.type !== "touch") return stay(state);
  const base = signed(state);
  const manager = state.staff.role === "manager";
  switch (event.action) {
    case "new-payment":
      return go({ ...base, step: "invoice-lookup", number: "", searching: false, error: null });
    case "void":
      if (!manager) return go(home(state, managerOnly("void a record")));
      return go(
        { ...base, step: "void-list", records: null, error: null, voided: null, receipt: null },
        { type: "load-shift-records" },
      );
    case "attention":
      return go(
        { ...base, step: "attention", items: null, error: null, entry: null },
        { type: "load-attention" },
      );
    case "receipts":
      if (!state.setup.printer && !state.setup.emailReceipts) return stay(state);
      return go(
        { ...base, step: "receipts", records: null, error: null, receipt: null, email: null },
        { type: "load-shift-records" },
      );
    case "find-payment":
      return go({
        ...base,
        step: "find-payment",
        text: "",
        records: null,
        searching: false,
        error: null,
        receipt: null,
        email: null,
      });
    case "report-x":
      return go(
        { ...base, step: "report", kind: "x", report: null, error: null },
        { type: "load-report", staff: state.staff },
      );
    case "report-z":
      if (!manager) return go(home(state, managerOnly("close the day")));
      return go({ ...base, step: "confirm", confirm: { action: "close-day" }, busy: false });
    case "drawer-count":
      return go(
        {
          ...base,
          step: "drawer-count",
          counted: "",
          expected: null,
          result: null,
          saving: false,
          error: null,
        },
        { type: "load-report", staff: state.staff },
      );
    case "lock":
      if (state.kioskLocked) return stay(state);
      return go({ ...base, step: "confirm", confirm: { action: "lock" }, busy: false });
    case "unlock":
      if (!state.kioskLocked) return stay(state);
      if (!manager) return go(home(state, managerOnly("put the kiosk back in service")));
      return go({ ...base, step: "confirm", confirm: { action: "unlock" }, busy: false });
    default:
      return stay(state);
  }
}

function lookupStep(state: Step<"invoice-lookup">, event: StaffEvent): Result {
  switch (event.type) {
    case "invoice-scanned":
      if (state.searching) return stay(state);
      return go(
        { ...state, number: event.number.toUpperCase(), searching: true, error: null },
        { type: "find-invoice", number: event.number },
      );
    case "invoice-found":
      if (!state.searching) return stay(state);
      return go({
        ...signed(state),
        step: "payment-form",
        invoice: event.invoice,
        form: newForm(event.invoice, state.today),
        errors: {},
        saving: false,
      });
    case "invoice-missing":
    case "effect-failed":
      return go({ ...state, searching: false, error: event.error });
    case "touch":
      if (state.searching) return stay(state);
      switch (event.action) {
        case "key":
        case "backspace":
        case "clear":
          return go({
            ...state,
            number: typeInto("invoiceNumber", state.number, event.action, event.value),
            error: null,
          });
        case "find":
          if (state.number === "") return stay(state);
          return go(
            { ...state, searching: true, error: null },
            { type: "find-invoice", number: state.number },
          );
        case "home":
          return go(home(state));
        default:
          return stay(state);
      }
    default:
      return stay(state);
  }
}

function formStep(state: Step<"payment-form">, event: StaffEvent): Result {
  switch (event.type) {
    case "record-saved":
      return saved(state, event.saved);
    case "record-refused":
    case "effect-failed": {
      if (!state.saving) return stay(state);
      const field = fieldOfError(event.error.code, event.error.message, state.form);
      return go({ ...state, saving: false, errors: { [field]: event.error } });
    }
    case "touch":
      if (state.saving) return stay(state);
      if (event.action === "home") return go(home(state));
      if (event.action === "save") return save(state);
      if (event.action === "pay-phone") return payOnPhone(state);
      return go({
        ...state,
        form: touchForm(state.form, event.action, event.value, state),
        errors:
          event.action === "key" || event.action === "backspace" || event.action === "clear"
            ? clearFocused(state)
            : {},
      });
    default:
      return stay(state);
  }
}

function clearFocused(state: Step<"payment-form">) {
  const { [state.form.focus]: _typed, form: _form, ...rest } = state.errors;
  return rest;
}

function save(state: Step<"payment-form">): Result {
  const built = draftOf(state.form, state.invoice, state.setup);
  if ("errors" in built) return go({ ...state, errors: built.errors });
  const { draft } = built;
  const charged = state.form.kind === "payment" && !state.form.futurePayment;
  const base = {
    ...signed(state),
    invoice: state.invoice,
    form: state.form,
    draft,
    charging: false,
    error: null,
  };
  const card = methodOf(state.form, state.setup)?.type === "card";
  if (charged && card && state.form.savedCard !== null) {
    return go(
      { ...state, saving: true, errors: {} },
      { type: "charge-saved-card", draft, staff: state.staff, token: state.form.savedCard },
    );
  }
  if (charged && state.form.cardEntry === "swiped" && card) {
    if (state.setup.smartReader) {
      return go(
        { ...base, step: "card-swipe", via: "reader", reader: "starting" },
        { type: "collect-on-reader", draft, staff: state.staff, saveCard: state.form.saveCard },
      );
    }
    return go({ ...base, step: "card-swipe", via: "swipe", reader: null });
  }
  if (charged && state.form.cardEntry === "keyed" && methodOf(state.form, state.setup)?.type === "card") {
    return go({ ...base, step: "keyed-entry", entry: null }, { type: "start-keyed-entry", draft });
  }
  return go({ ...state, saving: true, errors: {} }, { type: "save-record", draft, staff: state.staff });
}

/** A card payment paid on the client's phone: the page's QR code at the desk. */
function payOnPhone(state: Step<"payment-form">): Result {
  if (!state.setup.payByPhone || methodOf(state.form, state.setup)?.type !== "card") return stay(state);
  if (state.form.kind !== "payment" || state.form.futurePayment) return stay(state);
  const built = draftOf({ ...state.form, cardEntry: "keyed" }, state.invoice, state.setup);
  if ("errors" in built) return go({ ...state, errors: built.errors });
  return go(
    {
      ...signed(state),
      step: "phone",
      invoice: state.invoice,
      form: state.form,
      draft: built.draft,
      phase: "starting",
      link: null,
      error: null,
    },
    { type: "start-pay-link", draft: built.draft, staff: state.staff, invoiceNumber: state.invoice.number },
  );
}

function phoneStep(state: Step<"phone">, event: StaffEvent): Result {
  switch (event.type) {
    case "pay-link-ready":
      return state.phase === "starting" ? go({ ...state, phase: "waiting", link: event.link }) : stay(state);
    case "record-saved":
      return saved(state, event.saved);
    case "record-refused":
    case "effect-failed":
      // Closed by staff: back to the form; expired or refused: say why, on the form.
      return go({ ...backToForm(state), errors: state.phase === "closing" ? {} : { form: event.error } });
    case "touch":
      if (event.action === "cancel" && state.phase !== "closing")
        return go({ ...state, phase: "closing" }, { type: "close-pay-link" });
      return stay(state);
    default:
      return stay(state);
  }
}

function saved(
  state: SignedState & { form: Step<"payment-form">["form"] },
  record: Step<"saved">["saved"],
): Result {
  const method = methodOf(state.form, state.setup);
  const drawer = method?.opensCashDrawer === true && record.status === "completed";
  // Every record prints its receipt (payment, refund, future payment; a declined card has none).
  const print = state.setup.printer && record.status !== "declined" ? printing(record.recordId, false) : null;
  const next: Step<"saved"> = {
    ...signed(state),
    step: "saved",
    saved: record,
    drawer: drawer ? "opening" : null,
    drawerError: null,
    receipt: print?.receipt ?? null,
    email: null,
  };
  const effects: StaffEffect[] = [];
  if (drawer) effects.push({ type: "open-drawer" });
  if (print) effects.push(print.effect);
  return go(next, ...effects);
}

const backToForm = (
  state: Step<"card-swipe"> | Step<"keyed-entry"> | Step<"phone">,
): Step<"payment-form"> => ({
  ...signed(state),
  step: "payment-form",
  invoice: state.invoice,
  form: state.form,
  errors: {},
  saving: false,
});

function swipeStep(state: Step<"card-swipe">, event: StaffEvent): Result {
  switch (event.type) {
    case "card-charging":
      return go({ ...state, charging: true, error: null });
    case "reader-progress":
      if (event.step === "waiting-for-card" && state.reader === "starting")
        return go({ ...state, reader: "waiting" });
      if (event.step === "cancelling" && state.reader !== null) return go({ ...state, reader: "cancelling" });
      return stay(state);
    case "record-saved":
      return saved(state, event.saved);
    case "record-refused":
    case "effect-failed":
      return go({ ...state, charging: false, reader: null, error: event.error });
    case "touch":
      if (state.charging || state.reader === "cancelling") return stay(state);
      // The reader is collecting: Cancel stops it there; its answer (cancelled, or paid) decides next.
      if (state.reader !== null)
        return event.action === "cancel"
          ? go({ ...state, reader: "cancelling" }, { type: "cancel-reader" })
          : stay(state);
      if (state.via === "reader" && event.action === "retry") {
        return go(
          { ...state, reader: "starting", error: null },
          {
            type: "collect-on-reader",
            draft: state.draft,
            staff: state.staff,
            saveCard: state.form.saveCard,
          },
        );
      }
      if (event.action === "cancel") return go(backToForm(state));
      if (event.action === "use-auth-code") {
        const form = { ...state.form, cardEntry: "manual" as const, focus: "authorizationCode" as const };
        return go({ ...backToForm(state), form });
      }
      return stay(state);
    default:
      return stay(state);
  }
}

function keyedStep(state: Step<"keyed-entry">, event: StaffEvent): Result {
  switch (event.type) {
    case "keyed-entry-opened":
      return go({
        ...state,
        entry: { url: event.url, sessionId: event.sessionId, collection: event.collection },
      });
    case "keyed-entry-completed":
      if (state.entry?.sessionId !== event.sessionId || state.charging) return stay(state);
      return go(
        { ...state, charging: true, error: null },
        {
          type: "charge-keyed",
          draft: state.draft,
          sessionId: event.sessionId,
          collection: event.collection,
          staff: state.staff,
          saveCard: state.form.saveCard,
        },
      );
    case "keyed-entry-closed":
      return go({
        ...state,
        entry: null,
        error: { code: ErrorCodes.PROCESSOR_SESSION_INVALID, message: `The keyed entry was ${event.state}.` },
      });
    case "record-saved":
      return saved(state, event.saved);
    case "record-refused":
    case "effect-failed":
      return go({ ...state, charging: false, entry: null, error: event.error });
    case "touch":
      if (state.charging) return stay(state);
      if (event.action === "cancel") {
        const cancel: StaffEffect[] = state.entry
          ? [
              {
                type: "cancel-keyed-entry",
                sessionId: state.entry.sessionId,
                collection: state.entry.collection,
              },
            ]
          : [];
        return go(backToForm(state), ...cancel);
      }
      if (event.action === "retry" && state.entry === null) {
        return go({ ...state, error: null }, { type: "start-keyed-entry", draft: state.draft });
      }
      return stay(state);
    default:
      return stay(state);
  }
}

function savedStep(state: Step<"saved">, event: StaffEvent): Result {
  const receipt = receiptStep(state, event);
  if (receipt) return receipt;
  switch (event.type) {
    case "drawer-opened":
      return go({ ...state, drawer: "opened" });
    case "drawer-failed":
      return go({ ...state, drawer: "failed", drawerError: event.error });
    case "touch":
      if (event.action === "done") return go(home(state));
      if (event.action === "open-drawer" && state.drawer === "failed") {
        return go({ ...state, drawer: "opening", drawerError: null }, { type: "open-drawer" });
      }
      return stay(state);
    default:
      return stay(state);
  }
}

/** The shift's records, newest first: print a copy of any receipt (marked REPRINT), or email it. */
function receiptsStep(state: Step<"receipts">, event: StaffEvent): Result {
  const receipt = receiptStep(state, event);
  if (receipt) return receipt;
  switch (event.type) {
    case "shift-records":
      return go({ ...state, records: event.records });
    case "effect-failed":
      return go({ ...state, error: event.error });
    case "touch":
      return event.action === "home" ? go(home(state)) : stay(state);
    default:
      return stay(state);
  }
}

function voidListStep(state: Step<"void-list">, event: StaffEvent): Result {
  switch (event.type) {
    case "receipt-printed":
    case "receipt-not-printed":
      return go({ ...state, receipt: printAnswered(state.receipt, event) });
    case "shift-records":
      return go({ ...state, records: event.records });
    case "effect-failed":
      return go({ ...state, error: event.error });
    case "touch": {
      if (event.action === "home") return go(home(state));
      if (event.action !== "select") return stay(state);
      const record = state.records?.find((candidate) => candidate.id === event.value);
      if (!record) return stay(state);
      return go({ ...signed(state), step: "confirm", confirm: { action: "void", record }, busy: false });
    }
    default:
      return stay(state);
  }
}

/** The longest check number, reference or reason typed for an action (checkout bounds it again). */
const FOLLOW_UP_TEXT_MAX = 120;

/** Actions that need words typed first: a check's number, a reference, a reason. */
const NEEDS_TEXT: ReadonlySet<FollowUpActionView> = new Set([
  "collect-check",
  "collected-elsewhere",
  "cancel",
]);

/**
 * What needs a person, each item with its actions (checkout's follow-ups): a touch names the action
 * and the record; one that needs words (a check number, a reference, a reason) opens the keyboard
 * first. The list is loaded again after each action.
 */
function attentionStep(state: Step<"attention">, event: StaffEvent): Result {
  switch (event.type) {
    case "attention-items":
      return go({ ...state, items: event.items, error: null, entry: null });
    case "another-card-ready":
      return go(anotherCard(state, event.invoice, event.amountMinor));
    case "effect-failed":
      return go({ ...state, error: event.error, items: state.items ?? [] });
    case "touch": {
      if (state.entry) return entryTouch(state, state.entry, event.action, event.value);
      if (event.action === "home") return go(home(state));
      const item = state.items?.find((candidate) => candidate.recordId === event.value);
      const action = item?.actions.find((candidate) => candidate === event.action);
      if (!item || !action) return stay(state);
      if (NEEDS_TEXT.has(action))
        return go({ ...state, error: null, entry: { recordId: item.recordId, action, text: "" } });
      return go(
        { ...state, items: null, error: null },
        { type: "follow-up", recordId: item.recordId, action, text: null, staff: state.staff },
      );
    }
    default:
      return stay(state);
  }
}

/** The payment form for the closed collection's amount, on the card method; staff take the new card. */
function anotherCard(
  state: Step<"attention">,
  invoice: InvoiceView,
  amountMinor: number,
): Step<"payment-form"> {
  const card = state.setup.methods.find((method) => method.type === "card");
  return {
    ...signed(state),
    step: "payment-form",
    invoice,
    form: { ...newForm(invoice, state.today), amount: digitsOf(amountMinor), methodId: card?.id ?? null },
    errors: {},
    saving: false,
  };
}

function entryTouch(
  state: Step<"attention">,
  entry: FollowUpEntry,
  action: string,
  value: string | undefined,
): Result {
  switch (action) {
    case "key":
      if (value?.length !== 1 || entry.text.length >= FOLLOW_UP_TEXT_MAX) return stay(state);
      return go({ ...state, entry: { ...entry, text: entry.text + value } });
    case "backspace":
      return go({ ...state, entry: { ...entry, text: entry.text.slice(0, -1) } });
    case "back":
      return go({ ...state, entry: null, error: null });
    case "confirm":
      if (entry.text.trim() === "") return stay(state);
      return go(
        { ...state, items: null, error: null },
        {
          type: "follow-up",
          recordId: entry.recordId,
          action: entry.action,
          text: entry.text.trim(),
          staff: state.staff,
        },
      );
    default:
      return stay(state);
  }
}

function confirmEffect(state: Step<"confirm">, staff: StaffMemberView): StaffEffect {
  switch (state.confirm.action) {
    case "void":
      return { type: "void-record", recordId: state.confirm.record.id, staff };
    case "close-day":
      return { type: "close-day", staff };
    case "lock":
      return { type: "lock-kiosk", staff };
    case "unlock":
      return { type: "unlock-kiosk", staff };
  }
}

function confirmStep(state: Step<"confirm">, event: StaffEvent): Result {
  const voidList = (error: ErrorView | null, voided: string | null): Result => {
    // A void prints its own receipt, marked VOID, as every record does.
    const print = voided && state.setup.printer ? printing(voided, false) : null;
    return go(
      { ...signed(state), step: "void-list", records: null, error, voided, receipt: print?.receipt ?? null },
      { type: "load-shift-records" },
      ...(print ? [print.effect] : []),
    );
  };
  switch (event.type) {
    case "touch":
      if (state.busy) return stay(state);
      if (event.action === "yes") return go({ ...state, busy: true }, confirmEffect(state, state.staff));
      if (event.action === "no")
        return state.confirm.action === "void" ? voidList(null, null) : go(home(state));
      return stay(state);
    case "record-voided":
      return state.confirm.action === "void" ? voidList(null, event.recordId) : stay(state);
    case "report-ready":
      if (state.confirm.action !== "close-day") return stay(state);
      return go({ ...signed(state), step: "report", kind: "z", report: event.report, error: null });
    case "effect-failed":
      if (!state.busy) return stay(state);
      return state.confirm.action === "void" ? voidList(event.error, null) : go(home(state, event.error));
    default:
      return stay(state);
  }
}

function reportStep(state: Step<"report">, event: StaffEvent): Result {
  switch (event.type) {
    case "report-ready":
      return go({ ...state, report: event.report, error: null });
    case "effect-failed":
      return go({ ...state, error: event.error });
    case "touch":
      return event.action === "home" ? go(home(state)) : stay(state);
    default:
      return stay(state);
  }
}

function drawerCountStep(state: Step<"drawer-count">, event: StaffEvent): Result {
  switch (event.type) {
    case "report-ready":
      return go({ ...state, expected: event.report.expectedCash });
    case "drawer-counted":
      return go({ ...state, saving: false, result: event.count, expected: event.count.expected });
    case "effect-failed":
      return go({ ...state, saving: false, error: event.error });
    case "touch":
      if (state.saving) return stay(state);
      switch (event.action) {
        case "key":
        case "backspace":
        case "clear":
          if (state.result) return stay(state);
          return go({
            ...state,
            counted: typeInto("money", state.counted, event.action, event.value),
            error: null,
          });
        case "save":
          if (state.result) return stay(state);
          return go(
            { ...state, saving: true, error: null },
            { type: "record-drawer-count", countedMinor: minorOf(state.counted), staff: state.staff },
          );
        case "home":
          return go(home(state));
        default:
          return stay(state);
      }
    default:
      return stay(state);
  }
}
