import type { PaymentDraftInput } from "../../../payments/payment-draft.js";
import type { CardEntryMode, MethodType } from "../../../payments/payment-method.js";
import type { EmailEntry } from "../receipt-email.js";
import type { PhoneLink } from "../self-service/screens.js";
import type {
  AttentionItem,
  DrawerCountView,
  ErrorView,
  FollowUpActionView,
  FoundPaymentLine,
  InvoiceView,
  MoneyView,
  RecordLine,
  SavedView,
  ShiftReportView,
  StaffMemberView,
} from "./views.js";

/** A payment method as staff can choose it (from config `paymentMethods`, enabled ones). */
export interface MethodChoice {
  readonly id: string;
  readonly name: string;
  readonly type: MethodType;
  readonly cardEntryModes: readonly CardEntryMode[];
  readonly opensCashDrawer: boolean;
}

/** What the staff flow needs from configuration; fixed while the kiosk runs. */
export interface StaffSetup {
  readonly currency: string;
  readonly methods: readonly MethodChoice[];
  /** Card types staff can pick (from the card methods' prefix tables, or the common brands). */
  readonly cardTypes: readonly string[];
  /** Whether card entry through the processor (swipe, hosted keyed page) is possible. */
  /** ProcessorIntegration of src/payments/card-processor.ts (not imported: the browser bundle type-checks this file). */
  readonly processorKind: "manual" | "gateway";
  /** Card payments go to a smart reader (Stripe Terminal): the client inserts, taps or swipes there. */
  readonly smartReader: boolean;
  /** A card payment can be paid on the client's phone (a payment page shown as a QR code). */
  readonly payByPhone: boolean;
  /** The processor can keep a card paid at the reader for later payments (with the client's consent). */
  readonly saveCards: boolean;
  /**
   * A card staff key on the processor's hosted form can be kept too, with the client's consent
   * (Authorize.Net: the form's customer profile). Otherwise the keyed card is deleted after the payment.
   */
  readonly saveKeyedCards: boolean;
  readonly signIn: { readonly maxFailedPins: number; readonly lockoutSeconds: number };
  /** A receipt printer is set up: every record prints one, and copies can be printed. */
  readonly printer: boolean;
  /** Receipts can be emailed (central sends them; the kiosk syncs with central). */
  readonly emailReceipts: boolean;
}

/** A receipt on its way to the printer, and how it went. */
export interface ReceiptPrint {
  readonly recordId: string;
  readonly state: "printing" | "printed" | "failed";
  readonly error: ErrorView | null;
}

/** Wrong PINs so far and, after too many, until when sign-in is locked (epoch ms). */
export interface SignInThrottle {
  readonly failures: number;
  readonly lockedUntil: number | null;
}

export const TEXT_FIELDS = [
  "amount",
  "amountTendered",
  "checkNumber",
  "authorizationCode",
  "reference",
  "note",
] as const;
export type TextField = (typeof TEXT_FIELDS)[number];

export const DATE_FIELDS = ["paymentDate", "refundableUntil", "dueDate"] as const;
export type DateField = (typeof DATE_FIELDS)[number];

/** Fields an error can be shown beside; "form" is for errors that belong to no one field. */
export type FormField =
  | TextField
  | DateField
  | "kind"
  | "refundable"
  | "futurePayment"
  | "methodId"
  | "cardType"
  | "cardEntry"
  | "refundOf"
  | "savedCard"
  | "form";

export type FieldErrors = Partial<Record<FormField, ErrorView>>;

/** The Payment/Refund form, every Spectra field, as staff are filling it in. */
export interface PaymentForm {
  readonly kind: "payment" | "refund";
  /** Money fields are typed cash-register style: digits of minor units ("2500" is 25.00). */
  readonly amount: string;
  readonly paymentDate: string;
  readonly refundable: boolean;
  readonly refundableUntil: string | null;
  readonly futurePayment: boolean;
  readonly dueDate: string | null;
  readonly methodId: string | null;
  readonly amountTendered: string;
  readonly checkNumber: string;
  readonly cardType: string | null;
  readonly cardEntry: CardEntryMode | null;
  readonly authorizationCode: string;
  readonly reference: string;
  /** A few words for the record (its note): letters, digits and spaces, bounded by the keypad. */
  readonly note: string;
  readonly refundOf: string | null;
  /** "Save this card for future payments": ticked by staff with the client's agreement; off by default. */
  readonly saveCard: boolean;
  /** The client's saved card staff chose to charge (its token); null: the card is taken otherwise. */
  readonly savedCard: string | null;
  /** The text field the on-screen keypad types into. */
  readonly focus: TextField;
  /** The open date picker, showing `month` ("YYYY-MM"). */
  readonly picker: { readonly field: DateField; readonly month: string } | null;
  /** The open list to choose from: card types, or the payment a refund returns. */
  readonly menu: FormMenu | null;
}

export type FormMenu = "cardType" | "refundOf";

export interface Signed {
  readonly staff: StaffMemberView;
  readonly setup: StaffSetup;
  readonly today: string;
  readonly kioskLocked: boolean;
}

export type Confirmable =
  | { readonly action: "void"; readonly record: RecordLine }
  | { readonly action: "close-day" }
  | { readonly action: "lock" }
  | { readonly action: "unlock" };

/** An action on an item waiting for the words it needs, typed on the keyboard. */
export interface FollowUpEntry {
  readonly recordId: string;
  readonly action: FollowUpActionView;
  readonly text: string;
}

export type StaffState =
  | {
      readonly step: "sign-in";
      readonly setup: StaffSetup;
      readonly pin: string;
      readonly throttle: SignInThrottle;
      readonly checking: boolean;
      readonly error: ErrorView | null;
      readonly kioskLocked: boolean;
      readonly today: string;
    }
  | (Signed & { readonly step: "home"; readonly notice: ErrorView | null })
  | (Signed & {
      readonly step: "invoice-lookup";
      readonly number: string;
      readonly searching: boolean;
      readonly error: ErrorView | null;
    })
  | (Signed & {
      readonly step: "payment-form";
      readonly invoice: InvoiceView;
      readonly form: PaymentForm;
      readonly errors: FieldErrors;
      readonly saving: boolean;
    })
  | (Signed & {
      readonly step: "card-swipe";
      readonly invoice: InvoiceView;
      readonly form: PaymentForm;
      readonly draft: PaymentDraftInput;
      /** Swiped in the kiosk's reader, or presented on the smart reader. */
      readonly via: "swipe" | "reader";
      /** The smart reader's collection: starting, waiting for the card, being cancelled; null when none runs. */
      readonly reader: ReaderCollection | null;
      readonly charging: boolean;
      readonly error: ErrorView | null;
    })
  | (Signed & {
      readonly step: "keyed-entry";
      readonly invoice: InvoiceView;
      readonly form: PaymentForm;
      readonly draft: PaymentDraftInput;
      readonly entry: {
        readonly url: string;
        readonly sessionId: string;
        readonly collection: number;
      } | null;
      readonly charging: boolean;
      readonly error: ErrorView | null;
    })
  | (Signed & {
      readonly step: "phone";
      readonly invoice: InvoiceView;
      readonly form: PaymentForm;
      readonly draft: PaymentDraftInput;
      readonly phase: "starting" | "waiting" | "closing";
      readonly link: PhoneLink | null;
      readonly error: ErrorView | null;
    })
  | (Signed & {
      readonly step: "saved";
      readonly saved: SavedView;
      readonly drawer: "opening" | "opened" | "failed" | null;
      readonly drawerError: ErrorView | null;
      readonly receipt: ReceiptPrint | null;
      readonly email: EmailEntry | null;
    })
  | (Signed & {
      /** The shift's records, to print a copy of a receipt or email it. */
      readonly step: "receipts";
      readonly records: readonly RecordLine[] | null;
      readonly error: ErrorView | null;
      readonly receipt: ReceiptPrint | null;
      readonly email: EmailEntry | null;
    })
  | (Signed & {
      /** "Find a payment": part of an invoice number or client name, typed; the records it matched. */
      readonly step: "find-payment";
      readonly text: string;
      /** null: nothing looked up yet. */
      readonly records: readonly FoundPaymentLine[] | null;
      readonly searching: boolean;
      readonly error: ErrorView | null;
      readonly receipt: ReceiptPrint | null;
      readonly email: EmailEntry | null;
    })
  | (Signed & {
      readonly step: "void-list";
      readonly records: readonly RecordLine[] | null;
      readonly error: ErrorView | null;
      readonly voided: string | null;
      /** The void's receipt, printed once the void is saved. */
      readonly receipt: ReceiptPrint | null;
    })
  | (Signed & {
      readonly step: "attention";
      readonly items: readonly AttentionItem[] | null;
      readonly error: ErrorView | null;
      /** Staff typing what an action needs: a check number, a reference, a reason. */
      readonly entry: FollowUpEntry | null;
    })
  | (Signed & { readonly step: "confirm"; readonly confirm: Confirmable; readonly busy: boolean })
  | (Signed & {
      readonly step: "report";
      readonly kind: "x" | "z";
      readonly report: ShiftReportView | null;
      readonly error: ErrorView | null;
    })
  | (Signed & {
      readonly step: "drawer-count";
      readonly counted: string;
      readonly expected: MoneyView | null;
      readonly result: DrawerCountView | null;
      readonly saving: boolean;
      readonly error: ErrorView | null;
    });

export type ReaderCollection = "starting" | "waiting" | "cancelling";

export type SignedState = Exclude<StaffState, { step: "sign-in" }>;
