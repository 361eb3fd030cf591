import { ErrorCodes } from "../../../core/error-codes.js";
import type { DraftMethodFields, PaymentDraftInput } from "../../../payments/payment-draft.js";
import { CARD_ENTRY_MODES, type CardEntryMode } from "../../../payments/payment-method.js";
import { isStudioDate } from "../../../payments/studio-date.js";
import { addDays, addMonths, isMonth, monthOf } from "./calendar.js";
import { digitsOf, type KeypadField, minorOf, typeInto } from "./keypad.js";
import {
  DATE_FIELDS,
  type DateField,
  type FieldErrors,
  type FormField,
  type MethodChoice,
  type PaymentForm,
  type StaffSetup,
  TEXT_FIELDS,
  type TextField,
} from "./state.js";
import type { InvoiceView, MoneyView } from "./views.js";

const KEYPAD_OF: Record<TextField, KeypadField> = {
  amount: "money",
  amountTendered: "money",
  checkNumber: "checkNumber",
  authorizationCode: "authorizationCode",
  reference: "reference",
  note: "note",
};

/** A new form: a payment of what is payable, dated today, no method chosen yet. */
export function newForm(invoice: InvoiceView, today: string): PaymentForm {
  return {
    kind: "payment",
    amount: digitsOf(invoice.payable.minor),
    paymentDate: today,
    refundable: false,
    refundableUntil: null,
    futurePayment: false,
    dueDate: null,
    methodId: null,
    amountTendered: "",
    checkNumber: "",
    cardType: null,
    cardEntry: null,
    authorizationCode: "",
    reference: "",
    note: "",
    refundOf: null,
    saveCard: false,
    savedCard: null,
    focus: "amount",
    picker: null,
    menu: null,
  };
}

/**
 * "Save this card for future payments" is offered for a card payment taken now at the reader (or
 * swiped), when the processor keeps cards, and for one keyed on the processor's form when it keeps
 * those too; never for a saved card, a refund or a future payment.
 */
export function offersSaveCard(form: PaymentForm, setup: StaffSetup): boolean {
  return (
    setup.saveCards &&
    methodOf(form, setup)?.type === "card" &&
    form.kind === "payment" &&
    !form.futurePayment &&
    (form.cardEntry === "swiped" || (form.cardEntry === "keyed" && setup.saveKeyedCards)) &&
    form.savedCard === null
  );
}

/** The client's saved cards can be charged for a card payment taken now. */
export function offersSavedCards(form: PaymentForm, setup: StaffSetup, invoice: InvoiceView): boolean {
  return (
    setup.processorKind === "gateway" &&
    methodOf(form, setup)?.type === "card" &&
    form.kind === "payment" &&
    !form.futurePayment &&
    invoice.savedCards.length > 0
  );
}

export function methodOf(form: PaymentForm, setup: StaffSetup): MethodChoice | null {
  return setup.methods.find((method) => method.id === form.methodId) ?? null;
}

/** The card entry modes this method and this kiosk's processor allow, in the order staff see them. */
export function entryModes(method: MethodChoice, setup: StaffSetup): CardEntryMode[] {
  return CARD_ENTRY_MODES.filter(
    (mode) =>
      method.cardEntryModes.includes(mode) && (mode === "manual" || setup.processorKind === "gateway"),
  );
}

/** Cash taken now: a payment, not a future one. Only then is there an amount tendered and change. */
export function takesCashNow(form: PaymentForm, setup: StaffSetup): boolean {
  return methodOf(form, setup)?.type === "cash" && form.kind === "payment" && !form.futurePayment;
}

export function changeDue(form: PaymentForm, setup: StaffSetup): MoneyView | null {
  if (!takesCashNow(form, setup) || form.amountTendered === "") return null;
  const change = minorOf(form.amountTendered) - minorOf(form.amount);
  return change >= 0 ? { minor: change, currency: setup.currency } : null;
}

const NOTES_MAJOR = [5, 10, 20, 50, 100] as const;

/** Quick-cash buttons: the exact amount, then the next round sums a client is likely to hand over. */
export function quickCash(amountMinor: number, decimals: number): number[] {
  if (amountMinor <= 0) return [];
  const unit = 10 ** decimals;
  const offers = [amountMinor];
  for (const note of NOTES_MAJOR) {
    const step = note * unit;
    const next = Math.ceil(amountMinor / step) * step;
    if (next > amountMinor && !offers.includes(next)) offers.push(next);
  }
  return offers.slice(0, 5);
}

function withMethod(form: PaymentForm, method: MethodChoice, setup: StaffSetup): PaymentForm {
  const modes = method.type === "card" ? entryModes(method, setup) : [];
  const cardEntry = modes.length === 1 ? (modes[0] ?? null) : null;
  const focus: TextField =
    method.type === "cash" && form.kind === "payment" && !form.futurePayment
      ? "amountTendered"
      : method.type === "check"
        ? "checkNumber"
        : method.type === "card" && cardEntry === "manual"
          ? "authorizationCode"
          : method.type === "gift" || method.type === "other"
            ? "reference"
            : "amount";
  return {
    ...form,
    methodId: method.id,
    amountTendered: "",
    checkNumber: "",
    cardType: null,
    cardEntry,
    authorizationCode: "",
    reference: "",
    saveCard: false,
    savedCard: null,
    focus,
  };
}

function pickDate(form: PaymentForm, field: DateField, date: string): PaymentForm {
  const picked = { ...form, picker: null };
  switch (field) {
    case "paymentDate":
      return { ...picked, paymentDate: date };
    case "dueDate":
      return { ...picked, dueDate: date };
    case "refundableUntil":
      return { ...picked, refundableUntil: date };
  }
}

export interface FormContext {
  readonly invoice: InvoiceView;
  readonly setup: StaffSetup;
  readonly today: string;
}

const isTextField = (value: string | undefined): value is TextField =>
  (TEXT_FIELDS as readonly string[]).includes(value ?? "");
const isDateField = (value: string | undefined): value is DateField =>
  (DATE_FIELDS as readonly string[]).includes(value ?? "");

/**
 * One touch on the form. Touches that make no sense here (an unknown method, a date that is not a
 * date) leave the form as it was: the screen only offers what is valid, so anything else is noise.
 */
export function touchForm(
  form: PaymentForm,
  action: string,
  value: string | undefined,
  context: FormContext,
): PaymentForm {
  const { invoice, setup, today } = context;
  switch (action) {
    case "kind": {
      if (value !== "payment" && value !== "refund") return form;
      if (value === form.kind) return form;
      const amount = value === "payment" ? invoice.payable : invoice.refundable;
      const next: PaymentForm = {
        ...form,
        kind: value,
        amount: digitsOf(amount.minor),
        futurePayment: false,
        dueDate: null,
        refundOf: null,
        picker: null,
        menu: null,
        focus: "amount",
      };
      const method = methodOf(next, setup);
      return method ? withMethod(next, method, setup) : next;
    }
    case "focus":
      return isTextField(value) ? { ...form, focus: value } : form;
    case "key":
    case "backspace":
    case "clear":
      return { ...form, [form.focus]: typeInto(KEYPAD_OF[form.focus], form[form.focus], action, value) };
    case "toggle":
      if (value === "refundable") {
        return { ...form, refundable: !form.refundable, refundableUntil: null };
      }
      if (value === "saveCard" && offersSaveCard(form, setup)) return { ...form, saveCard: !form.saveCard };
      if (value === "futurePayment" && form.kind === "payment") {
        const futurePayment = !form.futurePayment;
        const next: PaymentForm = {
          ...form,
          futurePayment,
          dueDate: null,
          picker: futurePayment ? { field: "dueDate", month: monthOf(addDays(today, 1)) } : null,
        };
        const method = methodOf(next, setup);
        return method ? withMethod(next, method, setup) : next;
      }
      return form;
    case "method": {
      const method = setup.methods.find((candidate) => candidate.id === value);
      if (!method) return form;
      // "Card type, then swipe": choosing a card method asks for the card type first.
      // With a smart reader the reader reads the card's type: no menu to pick it from first.
      return {
        ...withMethod(form, method, setup),
        menu: method.type === "card" && !setup.smartReader ? "cardType" : null,
      };
    }
    case "menu-open":
      if (value === "cardType" && methodOf(form, setup)?.type === "card")
        return { ...form, menu: value, picker: null };
      if (value === "refundOf" && form.kind === "refund") return { ...form, menu: value, picker: null };
      return form;
    case "menu-close":
      return { ...form, menu: null };
    case "card-type":
      return value && setup.cardTypes.includes(value) ? { ...form, cardType: value, menu: null } : form;
    case "card-entry": {
      const method = methodOf(form, setup);
      if (method?.type !== "card") return form;
      const mode = entryModes(method, setup).find((candidate) => candidate === value);
      if (!mode) return form;
      return {
        ...form,
        cardEntry: mode,
        savedCard: null,
        saveCard: form.saveCard && offersSaveCard({ ...form, cardEntry: mode, savedCard: null }, setup),
        focus: mode === "manual" ? "authorizationCode" : "amount",
      };
    }
    case "saved-card": {
      if (!offersSavedCards(form, setup, invoice)) return form;
      if (!value || value === form.savedCard) return { ...form, savedCard: null };
      const card = invoice.savedCards.find((candidate) => candidate.token === value);
      // A saved card is charged without the card there: keyed, as Spectra records card-not-present.
      return card
        ? {
            ...form,
            savedCard: card.token,
            cardEntry: "keyed",
            cardType: card.brand,
            saveCard: false,
            menu: null,
          }
        : form;
    }
    case "refund-of": {
      if (form.kind !== "refund") return form;
      if (!value) return { ...form, refundOf: null, menu: null };
      const payment = invoice.payments.find((candidate) => candidate.id === value);
      if (!payment) return form;
      const method = setup.methods.find((candidate) => candidate.id === payment.methodId);
      const amount = Math.min(payment.amount.minor, invoice.refundable.minor);
      const next: PaymentForm = { ...form, refundOf: payment.id, amount: digitsOf(amount), menu: null };
      return method ? withMethod(next, method, setup) : next;
    }
    case "quick-cash": {
      const minor = Number(value);
      return Number.isSafeInteger(minor) && minor > 0 && takesCashNow(form, setup)
        ? { ...form, amountTendered: digitsOf(minor), focus: "amountTendered" }
        : form;
    }
    case "date-open": {
      if (!isDateField(value)) return form;
      // An empty date opens on the month the money moves (due date, else payment date).
      const current =
        value === "paymentDate" ? form.paymentDate : (form[value] ?? form.dueDate ?? form.paymentDate);
      return { ...form, picker: { field: value, month: monthOf(current) }, menu: null };
    }
    case "date-month": {
      if (!form.picker || (value !== "+1" && value !== "-1")) return form;
      const month = addMonths(form.picker.month, Number(value));
      return isMonth(month) ? { ...form, picker: { ...form.picker, month } } : form;
    }
    case "date-pick":
      return form.picker && value && isStudioDate(value) ? pickDate(form, form.picker.field, value) : form;
    case "date-close":
      return { ...form, picker: null };
    default:
      return form;
  }
}

function methodFields(form: PaymentForm, method: MethodChoice, setup: StaffSetup): DraftMethodFields {
  switch (method.type) {
    case "cash":
      return {
        type: "cash",
        amountTenderedMinor:
          takesCashNow(form, setup) && form.amountTendered !== "" ? minorOf(form.amountTendered) : null,
      };
    case "check":
      return { type: "check", checkNumber: form.checkNumber };
    case "card":
      return {
        type: "card",
        entryMode: form.cardEntry ?? "manual",
        cardType: form.cardType,
        authorizationCode: form.cardEntry === "manual" ? form.authorizationCode : null,
        maskedPan: null,
        brand: null,
        processorToken: null,
      };
    case "gift":
    case "other":
      return { type: method.type, reference: form.reference.trim() || null };
  }
}

/**
 * The draft Save & Close sends to the ledger, or the fields still missing. Only what the form alone
 * knows is checked here; every payment rule is the ledger's (src/payments/rules), and its coded
 * error comes back to the field it names (fieldOfError).
 */
export function draftOf(
  form: PaymentForm,
  invoice: InvoiceView,
  setup: StaffSetup,
): { draft: PaymentDraftInput } | { errors: FieldErrors } {
  const method = methodOf(form, setup);
  const errors: FieldErrors = {};
  if (!method) {
    errors.methodId = { code: ErrorCodes.PAYMENT_METHOD_UNKNOWN, message: "Choose a payment method." };
  }
  if (method?.type === "card" && form.cardEntry === null) {
    errors.cardEntry = {
      code: ErrorCodes.PAYMENT_METHOD_NOT_ALLOWED,
      message: "Choose how the card is taken: swipe, keyed, or authorization code.",
    };
  }
  if (form.futurePayment && form.dueDate === null) {
    errors.dueDate = {
      code: ErrorCodes.PAYMENT_DUE_DATE_NOT_AFTER_TODAY,
      message: "A future payment needs a due date.",
    };
  }
  if (!method || Object.keys(errors).length > 0) return { errors };
  return {
    draft: {
      kind: form.kind,
      invoiceId: invoice.id,
      amountMinor: minorOf(form.amount),
      currency: invoice.total.currency,
      paymentDate: form.futurePayment ? null : form.paymentDate,
      refundable: form.refundable,
      refundableUntil: form.refundable ? form.refundableUntil : null,
      futurePayment: form.kind === "payment" && form.futurePayment,
      dueDate: form.futurePayment ? form.dueDate : null,
      methodId: method.id,
      methodFields: methodFields(form, method, setup),
      refundOf: form.kind === "refund" ? form.refundOf : null,
      note: form.note.trim() || null,
    },
  };
}

const FIELD_OF_CODE: Partial<Record<string, FormField>> = {
  [ErrorCodes.PAYMENT_AMOUNT_NOT_POSITIVE]: "amount",
  [ErrorCodes.PAYMENT_AMOUNT_OVER_LIMIT]: "amount",
  [ErrorCodes.PAYMENT_EXCEEDS_BALANCE]: "amount",
  [ErrorCodes.PAYMENT_CURRENCY_MISMATCH]: "amount",
  [ErrorCodes.MONEY_NOT_INTEGER]: "amount",
  [ErrorCodes.REFUND_EXCEEDS_NET_PAID]: "amount",
  [ErrorCodes.REFUND_EXCEEDS_CARD_PAID]: "amount",
  [ErrorCodes.PAYMENT_CASH_TENDERED_SHORT]: "amountTendered",
  [ErrorCodes.PAYMENT_CHECK_NUMBER_INVALID]: "checkNumber",
  [ErrorCodes.PAYMENT_AUTH_CODE_INVALID]: "authorizationCode",
  [ErrorCodes.PAYMENT_DATE_IN_FUTURE]: "paymentDate",
  [ErrorCodes.PAYMENT_DATE_INVALID]: "paymentDate",
  [ErrorCodes.PAYMENT_DUE_DATE_NOT_AFTER_TODAY]: "dueDate",
  [ErrorCodes.PAYMENT_REFUNDABLE_UNTIL_BEFORE_PAYMENT]: "refundableUntil",
  [ErrorCodes.REFUND_ORIGINAL_INVALID]: "refundOf",
  [ErrorCodes.REFUND_FUTURE_NOT_ALLOWED]: "futurePayment",
  [ErrorCodes.PAYMENT_METHOD_UNKNOWN]: "methodId",
  [ErrorCodes.PAYMENT_METHOD_FIELDS_MISMATCH]: "methodId",
  [ErrorCodes.PAYMENT_METHOD_NOT_ALLOWED]: "cardEntry",
};

/**
 * The field a rule's coded error belongs beside. The rules' messages name the field they judged,
 * which settles the codes several fields share (an invalid date; an amount tendered "not plausible").
 */
export function fieldOfError(code: string, message: string, form: PaymentForm): FormField {
  if (code === ErrorCodes.PAYMENT_DATE_INVALID) {
    if (message.startsWith("Due date")) return "dueDate";
    if (message.startsWith("Refundable until")) return "refundableUntil";
  }
  if (code === ErrorCodes.PAYMENT_AMOUNT_OVER_LIMIT && message.includes("tendered")) return "amountTendered";
  if (code === ErrorCodes.PAYMENT_CARD_NUMBER_IN_TEXT && message.startsWith("The reference"))
    return "reference";
  if (code === ErrorCodes.PAYMENT_CARD_NUMBER_IN_TEXT && message.startsWith("The note")) return "note";
  if (code === ErrorCodes.PAYMENT_RECORD_INVALID) {
    if (message.includes("Refundable")) return "refundableUntil";
    if (message.includes("tendered")) return "amountTendered";
    if (message.includes("refund")) return "refundOf";
  }
  const field = FIELD_OF_CODE[code];
  if (field === "cardEntry" && form.cardEntry === null) return "methodId";
  return field ?? "form";
}
