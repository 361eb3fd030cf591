import { go, stay, type Transition } from "../transition.js";
import type { SelfServiceEffect } from "./events.js";
import type { InvoiceView } from "./screens.js";
import type { SelfServiceSettings, SelfServiceState } from "./state.js";

type Next = Transition<SelfServiceState, SelfServiceEffect>;

/** The steps that show an invoice before any charge starts. */
type Refreshable = Extract<
  SelfServiceState,
  { step: "summary" | "amount" | "method" | "see-staff" | "swipe" | "phone" }
>;

/**
 * Whether central's word on the invoice shown may still change what the client does: every step
 * before a charge starts (the summary, the amount, the method, "see the front desk", the swipe
 * screen waiting for a card or after a decline, a phone page that ended without a payment). From the
 * moment a card is being charged, and after, the screen keeps what it showed.
 */
export function refreshable(state: SelfServiceState): state is Refreshable {
  switch (state.step) {
    case "summary":
    case "amount":
    case "method":
    case "see-staff":
      return true;
    case "swipe":
      return state.phase === "waiting" || state.phase === "declined" || state.phase === "unreadable";
    case "phone":
      return state.phase === "expired" || state.phase === "declined";
    default:
      return false;
  }
}

/** Central changed these invoices' accounts: the invoice shown, if among them, is looked up again. */
export function onInvoicesChanged(state: SelfServiceState, invoiceIds: readonly string[]): Next {
  if (!refreshable(state) || !invoiceIds.includes(state.invoice.id)) return stay(state);
  return go(state, { type: "refresh-invoice", invoiceNumber: state.invoice.number });
}

/**
 * The invoice looked up again replaces the one shown, and the client stays where they are — unless
 * nothing is left to pay (the summary says it is paid in full) or the amount they chose is now more
 * than is payable (the amount screen says "more than the balance", or the summary shows the new
 * balance where the client cannot type a part).
 */
export function onInvoiceRefreshed(
  settings: SelfServiceSettings,
  state: SelfServiceState,
  invoice: InvoiceView,
): Next {
  if (!refreshable(state) || state.invoice.id !== invoice.id) return stay(state);
  const payable = invoice.payable.minor;
  if (payable <= 0) return go({ step: "summary", invoice });
  switch (state.step) {
    case "summary":
      return go({ ...state, invoice });
    case "amount": {
      const problem =
        state.enteredMinor > payable
          ? "over-balance"
          : state.problem === "over-balance"
            ? null
            : state.problem;
      return go({ ...state, invoice, problem });
    }
    case "phone":
      // A page on the phone pays the whole balance: a new balance means a new choice.
      return state.amountMinor === payable ? go({ ...state, invoice }) : go({ step: "summary", invoice });
    default: {
      const { amountMinor } = state;
      if (amountMinor > payable) return overBalance(settings, invoice, amountMinor);
      // Less than the new balance is fine only as a part payment this kiosk takes.
      const fits =
        amountMinor === payable || (settings.allowPartial && amountMinor >= settings.minPartialMinor);
      return fits ? go({ ...state, invoice }) : go({ step: "summary", invoice });
    }
  }
}

/** The chosen amount is more than is payable now: back to typing it, with the reason shown. */
function overBalance(settings: SelfServiceSettings, invoice: InvoiceView, enteredMinor: number): Next {
  return settings.allowPartial && invoice.payable.minor > settings.minPartialMinor
    ? go({ step: "amount", invoice, enteredMinor, problem: "over-balance" })
    : go({ step: "summary", invoice });
}
