import { ErrorCodes } from "../../../core/error-codes.js";
import { type Money, toDecimalString } from "../../../payments/money.js";
import { go, stay, type Transition } from "../transition.js";
import type { StaffEffect } from "./events.js";
import { minorOf } from "./keypad.js";
import type { FieldErrors, PaymentForm, StaffState } from "./state.js";
import type { ErrorView, InvoiceView } from "./views.js";

type Result = Transition<StaffState, StaffEffect>;
type Refreshable = Extract<StaffState, { step: "payment-form" | "card-swipe" }>;

/** The codes a refresh sets on the amount (the ledger's own for the same refusal). */
const REFRESH_CODES: ReadonlySet<string> = new Set([
  ErrorCodes.PAYMENT_EXCEEDS_BALANCE,
  ErrorCodes.REFUND_EXCEEDS_NET_PAID,
]);

const shown = (amount: Money): string => `${toDecimalString(amount)} ${amount.currency}`;

/**
 * Whether the invoice on the staff screen may follow central's balances: the Payment/Refund form
 * while it is not being saved, and the swipe screen before a card is charged (waiting for a swipe,
 * or after a decline). A charge under way, a keyed page or a phone page open: the screen keeps it.
 */
export function refreshable(state: StaffState): state is Refreshable {
  if (state.step === "payment-form") return !state.saving;
  return state.step === "card-swipe" && !state.charging && state.reader === null;
}

/** Central changed these invoices' accounts: the invoice on the form, if among them, is looked up again. */
export function onInvoicesChanged(state: StaffState, invoiceIds: readonly string[]): Result {
  if (!refreshable(state) || !invoiceIds.includes(state.invoice.id)) return stay(state);
  return go(state, { type: "refresh-invoice", number: state.invoice.number });
}

/**
 * The invoice looked up again replaces the one on the form (its balance, what is paid and
 * refundable). An amount this change made more than is payable (or refundable) now is marked with
 * the ledger's code and words, as Save would be refused; on the swipe screen that takes staff back
 * to the form before a card is charged for it.
 */
export function onInvoiceRefreshed(state: StaffState, invoice: InvoiceView): Result {
  if (!refreshable(state) || state.invoice.id !== invoice.id) return stay(state);
  const error = amountNowTooMuch(state.form, state.invoice, invoice);
  if (state.step === "payment-form") {
    const { amount: previous, ...others } = state.errors;
    const kept: FieldErrors = previous && !REFRESH_CODES.has(previous.code) ? { amount: previous } : {};
    return go({ ...state, invoice, errors: { ...others, ...kept, ...(error ? { amount: error } : {}) } });
  }
  if (!error) return go({ ...state, invoice });
  const { staff, setup, today, kioskLocked, form } = state;
  return go({
    step: "payment-form",
    staff,
    setup,
    today,
    kioskLocked,
    invoice,
    form: { ...form, focus: "amount" },
    errors: { amount: error },
    saving: false,
  });
}

/**
 * The amount on the form is more than the refreshed invoice allows, and was not before (an
 * overpayment staff typed on purpose, with a method that allows it, stays theirs to save).
 */
function amountNowTooMuch(form: PaymentForm, before: InvoiceView, after: InvoiceView): ErrorView | null {
  const minor = minorOf(form.amount);
  if (form.kind === "payment") {
    if (minor <= after.payable.minor || minor > before.payable.minor) return null;
    return {
      code: ErrorCodes.PAYMENT_EXCEEDS_BALANCE,
      message: `This is more than is owed: the most you can pay now is ${shown(after.payable)}.`,
    };
  }
  if (minor <= after.refundable.minor || minor > before.refundable.minor) return null;
  return {
    code: ErrorCodes.REFUND_EXCEEDS_NET_PAID,
    message: `The most that can be refunded on this invoice is ${shown(after.refundable)}.`,
  };
}
