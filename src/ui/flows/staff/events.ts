import type { PaymentDraftInput } from "../../../payments/payment-draft.js";
import type { PhoneLink } from "../self-service/screens.js";
import type {
  AttentionItem,
  DrawerCountView,
  ErrorView,
  FollowUpActionView,
  FoundPaymentLine,
  InvoiceView,
  RecordLine,
  SavedView,
  ShiftReportView,
  StaffMemberView,
} from "./views.js";

/**
 * What moves the staff flow: a touch from the screen (with the time it arrived), or the result of
 * an effect the server ran. Time comes in events; the flow never reads a clock.
 */
export type StaffEvent =
  | { readonly type: "touch"; readonly action: string; readonly value?: string; readonly at: number }
  | { readonly type: "pin-checked"; readonly staff: StaffMemberView | null; readonly at: number }
  | { readonly type: "invoice-scanned"; readonly number: string }
  | { readonly type: "invoice-found"; readonly invoice: InvoiceView }
  | { readonly type: "invoice-missing"; readonly error: ErrorView }
  /** Central's accounts changed what was paid on these invoices (at another kiosk, at the front desk). */
  | { readonly type: "invoices-changed"; readonly invoiceIds: readonly string[] }
  /** The invoice on the form, looked up again after central's accounts changed it. */
  | { readonly type: "invoice-refreshed"; readonly invoice: InvoiceView }
  | { readonly type: "record-saved"; readonly saved: SavedView }
  | { readonly type: "record-refused"; readonly error: ErrorView }
  | { readonly type: "card-charging" }
  /** The client's payment page exists: show its QR code. */
  | { readonly type: "pay-link-ready"; readonly link: PhoneLink }
  /** The smart reader's step while it collects (payments' ReaderProgress, not imported: the browser type-checks this). */
  | { readonly type: "reader-progress"; readonly step: "waiting-for-card" | "cancelling" }
  | {
      readonly type: "keyed-entry-opened";
      readonly url: string;
      readonly sessionId: string;
      readonly collection: number;
    }
  | { readonly type: "keyed-entry-completed"; readonly sessionId: string; readonly collection: number }
  | { readonly type: "keyed-entry-closed"; readonly state: "cancelled" | "expired" }
  | { readonly type: "drawer-opened" }
  | { readonly type: "drawer-failed"; readonly error: ErrorView }
  | { readonly type: "shift-records"; readonly records: readonly RecordLine[] }
  | { readonly type: "record-voided"; readonly recordId: string }
  /** "Find a payment"'s answer: the records matching what was typed, newest first. */
  | { readonly type: "payments-found"; readonly records: readonly FoundPaymentLine[] }
  | { readonly type: "attention-items"; readonly items: readonly AttentionItem[] }
  /** The failed card collection is closed: charge its amount on another card, on this invoice. */
  | { readonly type: "another-card-ready"; readonly invoice: InvoiceView; readonly amountMinor: number }
  | { readonly type: "report-ready"; readonly report: ShiftReportView }
  | { readonly type: "drawer-counted"; readonly count: DrawerCountView }
  | { readonly type: "effect-failed"; readonly error: ErrorView }
  | { readonly type: "lock-changed"; readonly locked: boolean }
  | { readonly type: "day-changed"; readonly today: string }
  | { readonly type: "receipt-printed"; readonly recordId: string }
  | { readonly type: "receipt-not-printed"; readonly recordId: string; readonly error: ErrorView }
  /** Central's answer to an emailed receipt: sent (error null), or why not. */
  | { readonly type: "receipt-emailed"; readonly recordId: string; readonly error: ErrorView | null };

/** What the flow asks the server to do; the server answers with events. */
export type StaffEffect =
  | { readonly type: "verify-pin"; readonly pin: string }
  | { readonly type: "leave-staff" }
  | { readonly type: "find-invoice"; readonly number: string }
  /** Look the invoice on the form up again: central's accounts changed its balance. */
  | { readonly type: "refresh-invoice"; readonly number: string }
  | { readonly type: "save-record"; readonly draft: PaymentDraftInput; readonly staff: StaffMemberView }
  | { readonly type: "start-keyed-entry"; readonly draft: PaymentDraftInput }
  /** Collect the card on the smart reader for this payment. */
  | {
      readonly type: "collect-on-reader";
      readonly draft: PaymentDraftInput;
      readonly staff: StaffMemberView;
      /** Staff ticked "Save this card for future payments", with the client's agreement. */
      readonly saveCard: boolean;
    }
  /** Charge one of the client's saved cards (its token) for this payment. */
  | {
      readonly type: "charge-saved-card";
      readonly draft: PaymentDraftInput;
      readonly staff: StaffMemberView;
      readonly token: string;
    }
  /** Cancel the smart reader's collection under way. */
  | { readonly type: "cancel-reader" }
  /** A payment page for the client's phone (a QR code at the desk) for this card payment. */
  | {
      readonly type: "start-pay-link";
      readonly draft: PaymentDraftInput;
      readonly staff: StaffMemberView;
      readonly invoiceNumber: string;
    }
  /** Close the payment page: nothing can be paid there after. */
  | { readonly type: "close-pay-link" }
  | { readonly type: "cancel-keyed-entry"; readonly sessionId: string; readonly collection: number }
  | {
      readonly type: "charge-keyed";
      readonly draft: PaymentDraftInput;
      readonly sessionId: string;
      readonly collection: number;
      readonly staff: StaffMemberView;
      /** Staff ticked "Save this card", with the client's agreement: the keyed card is kept. */
      readonly saveCard: boolean;
    }
  | { readonly type: "open-drawer" }
  | { readonly type: "load-shift-records" }
  | { readonly type: "void-record"; readonly recordId: string; readonly staff: StaffMemberView }
  | { readonly type: "load-attention" }
  /** The kiosk's records whose invoice number or client name contains `text`. */
  | { readonly type: "find-payments"; readonly text: string }
  | {
      readonly type: "follow-up";
      readonly recordId: string;
      readonly action: FollowUpActionView;
      /** The check number, reference or reason typed; null for an action that needs none. */
      readonly text: string | null;
      readonly staff: StaffMemberView;
    }
  | { readonly type: "load-report"; readonly staff: StaffMemberView }
  | { readonly type: "close-day"; readonly staff: StaffMemberView }
  | { readonly type: "record-drawer-count"; readonly countedMinor: number; readonly staff: StaffMemberView }
  | { readonly type: "lock-kiosk"; readonly staff: StaffMemberView }
  | { readonly type: "unlock-kiosk"; readonly staff: StaffMemberView }
  /** Print a record's receipt; `reprint` marks the paper as a copy. */
  | { readonly type: "print-receipt"; readonly recordId: string; readonly reprint: boolean }
  /** Ask central to email a record's receipt to this address (already checked). */
  | { readonly type: "email-receipt"; readonly recordId: string; readonly address: string };
