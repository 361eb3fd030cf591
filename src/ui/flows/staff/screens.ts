import { currencyDecimals } from "../../../payments/money.js";
import type { CardEntryMode } from "../../../payments/payment-method.js";
import type { EmailEntry } from "../receipt-email.js";
import type { PhoneLink } from "../self-service/screens.js";
import { monthGrid } from "./calendar.js";
import { minorOf } from "./keypad.js";
import {
  changeDue,
  entryModes,
  methodOf,
  offersSaveCard,
  offersSavedCards,
  quickCash,
  takesCashNow,
} from "./payment-form.js";
import type {
  Confirmable,
  DateField,
  FieldErrors,
  FollowUpEntry,
  FormMenu,
  MethodChoice,
  ReceiptPrint,
  SignedState,
  StaffState,
  TextField,
} from "./state.js";
import type {
  AttentionItem,
  DrawerCountView,
  ErrorView,
  FoundPaymentLine,
  InvoiceView,
  MoneyView,
  RecordLine,
  SavedCardChoice,
  SavedView,
  ShiftReportView,
  StaffMemberView,
} from "./views.js";

/** The email keyboard's address and how sending went (plain data already). */
export type EmailEntryView = EmailEntry;

/** The form as the screen draws it: amounts as money, the picker as a month of weeks. */
export interface PaymentFormView {
  readonly kind: "payment" | "refund";
  readonly amount: MoneyView;
  readonly paymentDate: string;
  readonly refundable: boolean;
  readonly refundableUntil: string | null;
  readonly futurePayment: boolean;
  readonly dueDate: string | null;
  readonly methodId: string | null;
  readonly methodType: MethodChoice["type"] | null;
  readonly amountTendered: MoneyView | null;
  readonly changeDue: MoneyView | null;
  readonly quickCash: readonly MoneyView[];
  readonly checkNumber: string;
  readonly cardType: string | null;
  readonly cardEntry: CardEntryMode | null;
  readonly cardEntryModes: readonly CardEntryMode[];
  readonly authorizationCode: string;
  readonly reference: string;
  readonly note: string;
  readonly refundOf: string | null;
  /** "Save this card for future payments": ticked or not; null when not offered for this payment. */
  readonly saveCard: boolean | null;
  /** The client's saved cards staff may charge (empty when not offered), and the one chosen. */
  readonly savedCards: readonly SavedCardChoice[];
  readonly savedCard: string | null;
  readonly focus: TextField;
  readonly picker: {
    readonly field: DateField;
    readonly month: string;
    readonly weeks: readonly (readonly (string | null)[])[];
  } | null;
  readonly menu: FormMenu | null;
}

interface Signed {
  readonly staff: StaffMemberView;
  readonly kioskLocked: boolean;
}

export type StaffScreen =
  | {
      readonly name: "staff.sign-in";
      readonly pinLength: number;
      readonly checking: boolean;
      readonly error: ErrorView | null;
      readonly lockedUntil: string | null;
      readonly failures: number;
      readonly maxFailures: number;
      readonly kioskLocked: boolean;
    }
  | (Signed & {
      readonly name: "staff.home";
      readonly notice: ErrorView | null;
      /** Whether "Receipts" (print a copy, email) is offered: a printer or email is set up. */
      readonly receipts: boolean;
    })
  | (Signed & {
      readonly name: "staff.invoice-lookup";
      readonly number: string;
      readonly searching: boolean;
      readonly error: ErrorView | null;
    })
  | (Signed & {
      readonly name: "staff.payment-form";
      readonly today: string;
      readonly invoice: InvoiceView;
      readonly form: PaymentFormView;
      readonly methods: readonly { readonly id: string; readonly name: string; readonly type: string }[];
      readonly cardTypes: readonly string[];
      readonly errors: FieldErrors;
      readonly saving: boolean;
      /** A card payment may be paid on the client's phone instead (a QR code here). */
      readonly payByPhone: boolean;
    })
  | (Signed & {
      readonly name: "staff.card-swipe";
      readonly invoiceNumber: string;
      readonly amount: MoneyView;
      readonly cardType: string | null;
      readonly via: "swipe" | "reader";
      readonly reader: "starting" | "waiting" | "cancelling" | null;
      readonly charging: boolean;
      readonly error: ErrorView | null;
    })
  | (Signed & {
      readonly name: "staff.phone";
      readonly invoiceNumber: string;
      readonly amount: MoneyView;
      readonly phase: "starting" | "waiting" | "closing";
      readonly link: PhoneLink | null;
      readonly error: ErrorView | null;
    })
  | (Signed & {
      readonly name: "staff.keyed-entry";
      readonly invoiceNumber: string;
      readonly amount: MoneyView;
      readonly url: string | null;
      readonly charging: boolean;
      readonly error: ErrorView | null;
    })
  | (Signed & {
      readonly name: "staff.saved";
      readonly saved: SavedView;
      readonly drawer: "opening" | "opened" | "failed" | null;
      readonly drawerError: ErrorView | null;
      readonly receipt: ReceiptPrint | null;
      /** Whether "Email the receipt" is offered. */
      readonly emailReceipts: boolean;
      /** The email keyboard, open over the screen; null when closed. */
      readonly email: EmailEntryView | null;
    })
  | (Signed & {
      readonly name: "staff.receipts";
      /** What each line offers: a copy on the printer, an email. */
      readonly printer: boolean;
      readonly emailReceipts: boolean;
      readonly records: readonly RecordLine[] | null;
      readonly receipt: ReceiptPrint | null;
      readonly email: EmailEntryView | null;
      readonly error: ErrorView | null;
    })
  | (Signed & {
      readonly name: "staff.find-payment";
      readonly text: string;
      readonly searching: boolean;
      readonly printer: boolean;
      readonly emailReceipts: boolean;
      readonly records: readonly FoundPaymentLine[] | null;
      readonly receipt: ReceiptPrint | null;
      readonly email: EmailEntryView | null;
      readonly error: ErrorView | null;
    })
  | (Signed & {
      readonly name: "staff.void-list";
      readonly records: readonly RecordLine[] | null;
      readonly voided: string | null;
      readonly receipt: ReceiptPrint | null;
      readonly error: ErrorView | null;
    })
  | (Signed & {
      readonly name: "staff.attention";
      readonly items: readonly AttentionItem[] | null;
      readonly error: ErrorView | null;
      /** Staff typing what an action needs (a check number, a reference, a reason), with the item. */
      readonly entry: (FollowUpEntry & { readonly item: AttentionItem | null }) | null;
    })
  | (Signed & { readonly name: "staff.confirm"; readonly confirm: Confirmable; readonly busy: boolean })
  | (Signed & {
      readonly name: "staff.report";
      readonly kind: "x" | "z";
      readonly report: ShiftReportView | null;
      readonly error: ErrorView | null;
    })
  | (Signed & {
      readonly name: "staff.drawer-count";
      readonly counted: MoneyView;
      readonly expected: MoneyView | null;
      readonly result: DrawerCountView | null;
      readonly saving: boolean;
      readonly error: ErrorView | null;
    });

export type StaffScreenName = StaffScreen["name"];

const signedView = (state: SignedState): Signed => ({ staff: state.staff, kioskLocked: state.kioskLocked });

function formView(state: Extract<StaffState, { step: "payment-form" }>): PaymentFormView {
  const { form, setup } = state;
  const currency = setup.currency;
  const method = methodOf(form, setup);
  const amountMinor = minorOf(form.amount);
  const cash = takesCashNow(form, setup);
  return {
    kind: form.kind,
    amount: { minor: amountMinor, currency },
    paymentDate: form.paymentDate,
    refundable: form.refundable,
    refundableUntil: form.refundableUntil,
    futurePayment: form.futurePayment,
    dueDate: form.dueDate,
    methodId: form.methodId,
    methodType: method?.type ?? null,
    amountTendered:
      cash && form.amountTendered !== "" ? { minor: minorOf(form.amountTendered), currency } : null,
    changeDue: changeDue(form, setup),
    quickCash: cash
      ? quickCash(amountMinor, currencyDecimals(currency)).map((minor) => ({ minor, currency }))
      : [],
    checkNumber: form.checkNumber,
    cardType: form.cardType,
    cardEntry: form.cardEntry,
    cardEntryModes: method?.type === "card" ? entryModes(method, setup) : [],
    authorizationCode: form.authorizationCode,
    reference: form.reference,
    note: form.note,
    refundOf: form.refundOf,
    saveCard: offersSaveCard(form, setup) ? form.saveCard : null,
    savedCards: offersSavedCards(form, setup, state.invoice) ? state.invoice.savedCards : [],
    savedCard: form.savedCard,
    focus: form.focus,
    picker: form.picker ? { ...form.picker, weeks: monthGrid(form.picker.month) } : null,
    menu: form.menu,
  };
}

/** What the screen shows for a state: plain JSON, no PIN (only how many digits were typed). */
export function staffScreenOf(state: StaffState): StaffScreen {
  switch (state.step) {
    case "sign-in":
      return {
        name: "staff.sign-in",
        pinLength: state.pin.length,
        checking: state.checking,
        error: state.error,
        lockedUntil:
          state.throttle.lockedUntil === null ? null : new Date(state.throttle.lockedUntil).toISOString(),
        failures: state.throttle.failures,
        maxFailures: state.setup.signIn.maxFailedPins,
        kioskLocked: state.kioskLocked,
      };
    case "home":
      return {
        ...signedView(state),
        name: "staff.home",
        notice: state.notice,
        receipts: state.setup.printer || state.setup.emailReceipts,
      };
    case "invoice-lookup":
      return {
        ...signedView(state),
        name: "staff.invoice-lookup",
        number: state.number,
        searching: state.searching,
        error: state.error,
      };
    case "payment-form":
      return {
        ...signedView(state),
        name: "staff.payment-form",
        today: state.today,
        invoice: state.invoice,
        form: formView(state),
        methods: state.setup.methods.map(({ id, name, type }) => ({ id, name, type })),
        cardTypes: state.setup.cardTypes,
        errors: state.errors,
        saving: state.saving,
        payByPhone: state.setup.payByPhone,
      };
    case "card-swipe":
      return {
        ...signedView(state),
        name: "staff.card-swipe",
        invoiceNumber: state.invoice.number,
        amount: { minor: state.draft.amountMinor, currency: state.draft.currency },
        cardType: state.form.cardType,
        via: state.via,
        reader: state.reader,
        charging: state.charging,
        error: state.error,
      };
    case "phone":
      return {
        ...signedView(state),
        name: "staff.phone",
        invoiceNumber: state.invoice.number,
        amount: { minor: state.draft.amountMinor, currency: state.draft.currency },
        phase: state.phase,
        link: state.link,
        error: state.error,
      };
    case "keyed-entry":
      return {
        ...signedView(state),
        name: "staff.keyed-entry",
        invoiceNumber: state.invoice.number,
        amount: { minor: state.draft.amountMinor, currency: state.draft.currency },
        url: state.entry?.url ?? null,
        charging: state.charging,
        error: state.error,
      };
    case "saved":
      return {
        ...signedView(state),
        name: "staff.saved",
        saved: state.saved,
        drawer: state.drawer,
        drawerError: state.drawerError,
        receipt: state.receipt,
        emailReceipts: state.setup.emailReceipts,
        email: state.email,
      };
    case "receipts":
      return {
        ...signedView(state),
        name: "staff.receipts",
        printer: state.setup.printer,
        emailReceipts: state.setup.emailReceipts,
        records: state.records,
        receipt: state.receipt,
        email: state.email,
        error: state.error,
      };
    case "find-payment":
      return {
        ...signedView(state),
        name: "staff.find-payment",
        text: state.text,
        searching: state.searching,
        printer: state.setup.printer,
        emailReceipts: state.setup.emailReceipts,
        records: state.records,
        receipt: state.receipt,
        email: state.email,
        error: state.error,
      };
    case "void-list":
      return {
        ...signedView(state),
        name: "staff.void-list",
        records: state.records,
        voided: state.voided,
        receipt: state.receipt,
        error: state.error,
      };
    case "attention":
      return {
        ...signedView(state),
        name: "staff.attention",
        items: state.items,
        error: state.error,
        entry: state.entry
          ? {
              ...state.entry,
              item: state.items?.find((item) => item.recordId === state.entry?.recordId) ?? null,
            }
          : null,
      };
    case "confirm":
      return { ...signedView(state), name: "staff.confirm", confirm: state.confirm, busy: state.busy };
    case "report":
      return {
        ...signedView(state),
        name: "staff.report",
        kind: state.kind,
        report: state.report,
        error: state.error,
      };
    case "drawer-count":
      return {
        ...signedView(state),
        name: "staff.drawer-count",
        counted: { minor: minorOf(state.counted), currency: state.setup.currency },
        expected: state.expected,
        result: state.result,
        saving: state.saving,
        error: state.error,
      };
  }
}
