import { emailAnswered, emailTouch, newEmailEntry } from "../receipt-email.js";
import { go, stay, type Transition } from "../transition.js";
import type { ChargeResult, SelfServiceEffect, SelfServiceEvent } from "./events.js";
import { onInvoiceRefreshed, onInvoicesChanged } from "./refresh.js";
import type { AmountProblem, InvoiceView } from "./screens.js";
import { ATTRACT, emptyFind, type SelfServiceSettings, type SelfServiceState } from "./state.js";
import { typed, typedAmount } from "./text-entry.js";

/** The code of a collection cancelled at the reader (the checkout's CARD_COLLECTION_CANCELLED). */
const CANCELLED = "CARD_COLLECTION_CANCELLED";

type Step<K extends SelfServiceState["step"]> = Extract<SelfServiceState, { step: K }>;
type Next = Transition<SelfServiceState, SelfServiceEffect>;
type Touch = Extract<SelfServiceEvent, { type: "touch" }>;

/**
 * The self-service flow: attract → find → summary → amount → method → swipe → receipt → thank you.
 * A touch that does not apply to the current step returns the same state object, so the session
 * can tell the browser it changed nothing.
 */
export function selfServiceReducer(settings: SelfServiceSettings) {
  return (state: SelfServiceState, event: SelfServiceEvent): Next => {
    switch (event.type) {
      case "reset":
        return go(ATTRACT);
      case "touch":
        return onTouch(settings, state, event);
      case "scanned":
        // A scanned invoice starts or replaces a search, but never interrupts a payment under way.
        if (state.step !== "attract" && state.step !== "find" && state.step !== "summary") return stay(state);
        return go(
          { ...emptyFind(), invoiceNumber: event.invoiceNumber, searching: true },
          { type: "find-invoice", invoiceNumber: event.invoiceNumber, lastName: null },
        );
      case "scan-rejected":
        if (state.step !== "attract" && state.step !== "find") return stay(state);
        return go({ ...emptyFind(), problem: "scan-unrecognized" });
      case "lookup-finished":
        if (state.step !== "find" || !state.searching) return stay(state);
        return event.invoice
          ? go({ step: "summary", invoice: event.invoice })
          : go({ ...state, searching: false, problem: "not-found" });
      case "card-read":
        if (!waitsForSwipe(state)) return stay(state);
        return go(
          { ...state, phase: "processing", problem: null },
          {
            type: "charge-card",
            invoiceId: state.invoice.id,
            methodId: state.methodId,
            amount: { minor: state.amountMinor, currency: state.invoice.total.currency },
            saveCard: state.saveCard,
          },
        );
      case "card-unreadable":
        if (!waitsForSwipe(state)) return stay(state);
        return go({ ...state, phase: "unreadable", problem: event.problem });
      case "charge-finished":
        return onCharge(settings, state, event.result);
      case "pay-link-ready":
        if (state.step !== "phone" || state.phase !== "starting") return stay(state);
        return go({ ...state, phase: "waiting", link: event.link });
      case "reader-progress":
        if (state.step !== "swipe" || state.via !== "reader") return stay(state);
        if (event.step === "waiting-for-card" && state.phase === "reader-starting")
          return go({ ...state, phase: "reader-waiting" });
        if (event.step === "cancelling" && collecting(state)) return go({ ...state, phase: "cancelling" });
        return stay(state);
      case "receipt-finished":
        if (state.step !== "receipt" || !state.printing) return stay(state);
        return event.printed
          ? thankYou(settings, state, true)
          : go({ ...state, printing: false, printFailed: true });
      case "receipt-emailed":
        if (state.step !== "receipt" || !state.email?.sending || state.email.recordId !== event.recordId)
          return stay(state);
        return go({ ...state, email: emailAnswered(state.email, event.error) });
      case "timer-expired":
        return state.step === "thank-you" ? go(ATTRACT) : stay(state);
      case "invoices-changed":
        return onInvoicesChanged(state, event.invoiceIds);
      case "invoice-refreshed":
        return onInvoiceRefreshed(settings, state, event.invoice);
    }
  };
}

/**
 * The swipe screen takes a card when waiting, and again after a decline or a bad read; never while
 * a charge is under way or when its outcome is unknown (the card may have been charged).
 */
export function waitsForSwipe(state: SelfServiceState): state is Step<"swipe"> {
  return (
    state.step === "swipe" &&
    state.via === "swipe" &&
    (state.phase === "waiting" || state.phase === "declined" || state.phase === "unreadable")
  );
}

/** The smart reader is collecting (or cancelling) this payment: its answer is still to come. */
export function collecting(state: SelfServiceState): boolean {
  return (
    state.step === "swipe" &&
    (state.phase === "reader-starting" || state.phase === "reader-waiting" || state.phase === "cancelling")
  );
}

/** A collection on the smart reader for the swipe step's payment. */
function collectOnReader(state: Step<"swipe">): Next {
  return go(
    { ...state, phase: "reader-starting", problem: null },
    {
      type: "collect-on-reader",
      invoiceId: state.invoice.id,
      methodId: state.methodId,
      amount: { minor: state.amountMinor, currency: state.invoice.total.currency },
      saveCard: state.saveCard,
    },
  );
}

function onTouch(settings: SelfServiceSettings, state: SelfServiceState, touch: Touch): Next {
  switch (state.step) {
    case "attract":
      return touch.action === "start" ? go(emptyFind()) : stay(state);
    case "find":
      return onFindTouch(state, touch);
    case "summary":
      if (touch.action === "back") return go(emptyFind());
      if (touch.action === "cancel") return go(ATTRACT);
      if (touch.action === "pay-phone" && settings.phoneMethodId && state.invoice.payable.minor > 0)
        return startPhone(state.invoice, settings.phoneMethodId);
      if (touch.action !== "pay" || state.invoice.payable.minor <= 0) return stay(state);
      return settings.allowPartial && state.invoice.payable.minor > settings.minPartialMinor
        ? go({ step: "amount", invoice: state.invoice, enteredMinor: 0, problem: null })
        : go(methodStep(state.invoice, state.invoice.payable.minor));
    case "amount":
      return onAmountTouch(settings, state, touch);
    case "method":
      return onMethodTouch(settings, state, touch);
    case "see-staff":
      if (touch.action === "back") return go(methodStep(state.invoice, state.amountMinor));
      return touch.action === "done" ? go(ATTRACT) : stay(state);
    case "swipe":
      if (state.phase === "processing" || state.phase === "cancelling") return stay(state);
      if (collecting(state))
        return touch.action === "cancel"
          ? go({ ...state, phase: "cancelling" }, { type: "cancel-reader" })
          : stay(state);
      if (state.via === "reader" && state.phase === "declined" && touch.action === "retry")
        return collectOnReader(state);
      if (state.phase === "unknown") return touch.action === "done" ? go(ATTRACT) : stay(state);
      if (touch.action === "cancel") return go(methodStep(state.invoice, state.amountMinor, state.saveCard));
      return stay(state);
    case "phone":
      return onPhoneTouch(state, touch);
    case "receipt":
      if (state.email) return onEmailTouch(settings, state, touch);
      if (state.printing) return stay(state);
      if (touch.action === "email" && settings.emailReceipts)
        return go({ ...state, email: newEmailEntry(state.recordId) });
      if (touch.action === "print" && settings.printerAvailable) {
        return go(
          { ...state, printing: true, printFailed: false },
          {
            type: "print-receipt",
            recordId: state.recordId,
            invoiceNumber: state.invoice.number,
            amount: { minor: state.amountMinor, currency: state.invoice.total.currency },
            balanceRemaining: remaining(state.invoice, state.amountMinor),
            card: state.card,
          },
        );
      }
      return touch.action === "no-receipt" ? thankYou(settings, state, false) : stay(state);
    case "thank-you":
      return touch.action === "done" ? go(ATTRACT) : stay(state);
  }
}

/** The email keyboard over the receipt question; once sent, closing it says thank you. */
function onEmailTouch(settings: SelfServiceSettings, state: Step<"receipt">, touch: Touch): Next {
  const email = state.email;
  if (!email) return stay(state);
  if (touch.action === "email-close" && email.sent) return thankYou(settings, state, false);
  const touched = emailTouch(email, touch.action, touch.value);
  switch (touched.kind) {
    case "ignored":
      return stay(state);
    case "entry":
      return go({ ...state, email: touched.entry });
    case "send":
      return go(
        { ...state, email: touched.entry },
        { type: "email-receipt", recordId: touched.entry.recordId, address: touched.address },
      );
  }
}

function onFindTouch(state: Step<"find">, touch: Touch): Next {
  if (state.searching) return stay(state);
  switch (touch.action) {
    case "back":
      return go(ATTRACT);
    case "field":
      return touch.value === "invoiceNumber" || touch.value === "lastName"
        ? go({ ...state, field: touch.value })
        : stay(state);
    case "key": {
      const text = typed(state.field, state[state.field], touch.value);
      return text === null ? stay(state) : go({ ...state, [state.field]: text, problem: null });
    }
    case "backspace":
      return go({ ...state, [state.field]: state[state.field].slice(0, -1), problem: null });
    case "search": {
      const invoiceNumber = state.invoiceNumber.trim();
      const lastName = state.lastName.trim();
      if (invoiceNumber === "" || lastName === "") {
        return go({
          ...state,
          field: invoiceNumber === "" ? "invoiceNumber" : "lastName",
          problem: "incomplete",
        });
      }
      return go(
        { ...state, searching: true, problem: null },
        { type: "find-invoice", invoiceNumber, lastName },
      );
    }
    default:
      return stay(state);
  }
}

function amountProblem(
  settings: SelfServiceSettings,
  invoice: InvoiceView,
  minor: number,
): AmountProblem | null {
  if (minor <= 0) return "zero";
  if (minor > invoice.payable.minor) return "over-balance";
  if (minor > settings.maxAmountMinor) return "over-limit";
  if (minor < invoice.payable.minor && minor < settings.minPartialMinor) return "under-minimum";
  return null;
}

function onAmountTouch(settings: SelfServiceSettings, state: Step<"amount">, touch: Touch): Next {
  switch (touch.action) {
    case "back":
      return go({ step: "summary", invoice: state.invoice });
    case "pay-balance":
      return go(methodStep(state.invoice, state.invoice.payable.minor));
    case "key": {
      const next = typedAmount(state.enteredMinor, touch.value);
      return next === null ? stay(state) : go({ ...state, enteredMinor: next, problem: null });
    }
    case "backspace":
      return go({ ...state, enteredMinor: Math.floor(state.enteredMinor / 10), problem: null });
    case "clear":
      return go({ ...state, enteredMinor: 0, problem: null });
    case "confirm": {
      const problem = amountProblem(settings, state.invoice, state.enteredMinor);
      return problem ? go({ ...state, problem }) : go(methodStep(state.invoice, state.enteredMinor));
    }
    default:
      return stay(state);
  }
}

function onMethodTouch(settings: SelfServiceSettings, state: Step<"method">, touch: Touch): Next {
  if (touch.action === "back") {
    return settings.allowPartial && state.invoice.payable.minor > settings.minPartialMinor
      ? go({ step: "amount", invoice: state.invoice, enteredMinor: 0, problem: null })
      : go({ step: "summary", invoice: state.invoice });
  }
  if (touch.action === "save-card" && settings.saveCards) return go({ ...state, saveCard: !state.saveCard });
  if (touch.action !== "method") return stay(state);
  const method = settings.methods.find((choice) => choice.id === touch.value);
  if (!method) return stay(state);
  const { invoice, amountMinor } = state;
  // Only a card paid here can be kept, and only when the processor keeps cards.
  const saveCard = settings.saveCards && state.saveCard;
  if (!method.here) return go({ step: "see-staff", invoice, amountMinor, methodName: method.name });
  if (settings.smartReader && method.type === "card") {
    return collectOnReader({
      step: "swipe",
      invoice,
      amountMinor,
      methodId: method.id,
      via: "reader",
      phase: "reader-starting",
      problem: null,
      saveCard,
    });
  }
  return go({
    step: "swipe",
    invoice,
    amountMinor,
    methodId: method.id,
    via: "swipe",
    phase: "waiting",
    problem: null,
    saveCard,
  });
}

/** Choosing how to pay; the card is not kept unless the client ticks the box. */
function methodStep(invoice: InvoiceView, amountMinor: number, saveCard = false): Step<"method"> {
  return { step: "method", invoice, amountMinor, saveCard };
}

/** A payment page for the whole payable balance, paid on the client's phone. */
function startPhone(invoice: InvoiceView, methodId: string): Next {
  const amountMinor = invoice.payable.minor;
  return go(
    { step: "phone", invoice, amountMinor, methodId, phase: "starting", link: null, problem: null },
    {
      type: "start-pay-link",
      invoiceId: invoice.id,
      invoiceNumber: invoice.number,
      methodId,
      amount: { minor: amountMinor, currency: invoice.total.currency },
    },
  );
}

function onPhoneTouch(state: Step<"phone">, touch: Touch): Next {
  switch (state.phase) {
    case "starting":
    case "waiting":
      return touch.action === "cancel"
        ? go({ ...state, phase: "closing" }, { type: "close-pay-link" })
        : stay(state);
    case "closing":
      return stay(state);
    case "expired":
    case "declined":
      if (touch.action === "retry") return startPhone(state.invoice, state.methodId);
      return touch.action === "back" ? go({ step: "summary", invoice: state.invoice }) : stay(state);
    case "unknown":
      return touch.action === "done" ? go(ATTRACT) : stay(state);
  }
}

/** What the client's phone payment came to: paid (as a card), closed, expired, or not known yet. */
function onPhoneResult(settings: SelfServiceSettings, state: Step<"phone">, result: ChargeResult): Next {
  if (state.phase !== "starting" && state.phase !== "waiting" && state.phase !== "closing")
    return stay(state);
  if (result.kind === "declined" && result.problem.code === CANCELLED) {
    return state.phase === "closing"
      ? go({ step: "summary", invoice: state.invoice })
      : go({ ...state, phase: "expired", link: null, problem: result.problem });
  }
  if (result.kind === "declined" || result.kind === "unknown")
    return go({ ...state, phase: result.kind, link: null, problem: result.problem });
  return paid(settings, state, result.recordId, result.card);
}

function onCharge(
  settings: SelfServiceSettings,
  state: SelfServiceState,
  result: Extract<SelfServiceEvent, { type: "charge-finished" }>["result"],
): Next {
  if (state.step === "phone") return onPhoneResult(settings, state, result);
  if (state.step !== "swipe" || (state.phase !== "processing" && !collecting(state))) return stay(state);
  // The client cancelled at the screen: back to choosing how to pay.
  if (state.phase === "cancelling" && result.kind === "declined" && result.problem.code === CANCELLED) {
    return go(methodStep(state.invoice, state.amountMinor, state.saveCard));
  }
  if (result.kind === "declined" || result.kind === "unknown") {
    return go({
      ...state,
      phase: result.kind === "declined" ? "declined" : "unknown",
      problem: result.problem,
    });
  }
  return paid(settings, state, result.recordId, result.card);
}

/** Paid: the receipt question when there is a printer, else thank you. */
function paid(
  settings: SelfServiceSettings,
  state: Pick<Step<"swipe">, "invoice" | "amountMinor">,
  recordId: string,
  card: Step<"receipt">["card"],
): Next {
  const receipt = {
    step: "receipt",
    invoice: state.invoice,
    amountMinor: state.amountMinor,
    recordId,
    card,
    printing: false,
    printFailed: false,
    email: null,
  } as const;
  return settings.printerAvailable || settings.emailReceipts
    ? go(receipt)
    : thankYou(settings, receipt, false);
}

function remaining(invoice: InvoiceView, amountMinor: number): InvoiceView["balance"] {
  return { minor: Math.max(invoice.balance.minor - amountMinor, 0), currency: invoice.balance.currency };
}

function thankYou(
  settings: SelfServiceSettings,
  state: Pick<Step<"receipt">, "invoice" | "amountMinor">,
  receiptPrinted: boolean,
): Next {
  return go(
    {
      step: "thank-you",
      amountMinor: state.amountMinor,
      balanceRemainingMinor: remaining(state.invoice, state.amountMinor).minor,
      currency: state.invoice.total.currency,
      receiptPrinted,
    },
    { type: "start-timer", timer: "thank-you", ms: settings.thankYouMs },
  );
}
