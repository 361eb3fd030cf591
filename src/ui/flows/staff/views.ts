/** Money on the screen: plain JSON, formatted by the browser with Intl in the current locale. */
export interface MoneyView {
  readonly minor: number;
  readonly currency: string;
}

/** A coded error as the screen shows it: the browser looks the code up in its messages. */
export interface ErrorView {
  readonly code: string;
  readonly message: string;
}

export interface StaffMemberView {
  readonly id: string;
  readonly name: string;
  /** The staff roles of src/checkout/staff/config.ts (not imported: the browser bundle type-checks this file). */
  readonly role: "cashier" | "manager";
}

/** A completed payment a refund can name (card refunds must). */
export interface PaymentChoice {
  readonly id: string;
  readonly amount: MoneyView;
  readonly methodId: string;
  readonly methodName: string;
  readonly paymentDate: string | null;
  /** "Visa ···· 4242" for cards, the check number for checks; null otherwise. */
  readonly detail: string | null;
}

/** The invoice as the payment form shows it, with where it stands. */
export interface InvoiceView {
  readonly id: string;
  readonly number: string;
  readonly clientName: string;
  readonly total: MoneyView;
  readonly paid: MoneyView;
  readonly refunded: MoneyView;
  readonly balance: MoneyView;
  /** The most a payment may be without overpaying. */
  readonly payable: MoneyView;
  /** The most a refund may be. */
  readonly refundable: MoneyView;
  /**
   * What the client paid beyond the total — two kiosks that both collected the balance while apart,
   * or a deposit in Spectra on top — shown to staff, never netted away. Absent when nothing.
   */
  readonly credit?: MoneyView;
  readonly payments: readonly PaymentChoice[];
  /** The client's cards on file, newest first: staff may charge one for a payment. */
  readonly savedCards: readonly SavedCardChoice[];
}

/** A client's saved card as staff pick it: brand, last 4 and expiry; the token is the processor's. */
export interface SavedCardChoice {
  readonly token: string;
  readonly brand: string | null;
  readonly last4: string;
  /** "MM/YYYY", or null when the processor did not say. */
  readonly expiry: string | null;
}

/** One record of the open shift, for the void list. */
export interface RecordLine {
  readonly id: string;
  readonly kind: "payment" | "refund";
  readonly invoiceNumber: string;
  readonly amount: MoneyView;
  readonly methodName: string;
  readonly status: string;
  readonly createdAt: string;
  readonly staffId: string | null;
}

/** A record "Find a payment" matched: with its client's name (null: not on this kiosk) and studio date. */
export interface FoundPaymentLine extends RecordLine {
  readonly clientName: string | null;
  /** The studio's date it was taken ("2026-11-26"), in the studio's time zone. */
  readonly date: string;
}

/** What Save & Close stored, for the confirmation (change due in large type). */
export interface SavedView {
  readonly recordId: string;
  readonly kind: "payment" | "refund";
  readonly invoiceNumber: string;
  readonly amount: MoneyView;
  readonly methodName: string;
  readonly status: string;
  readonly paymentDate: string | null;
  readonly dueDate: string | null;
  readonly refundableUntil: string | null;
  readonly amountTendered: MoneyView | null;
  readonly changeDue: MoneyView | null;
  readonly authorizationCode: string | null;
  readonly maskedPan: string | null;
}

export interface MethodTotalView {
  readonly methodId: string;
  readonly methodName: string;
  readonly payments: MoneyView;
  readonly paymentCount: number;
  readonly refunds: MoneyView;
  readonly refundCount: number;
  readonly net: MoneyView;
}

export interface CountedTotal {
  readonly count: number;
  readonly total: MoneyView;
}

/** The shift (X) or end-of-day (Z) report. */
export interface ShiftReportView {
  readonly shiftId: string;
  readonly openedAt: string;
  readonly closedAt: string | null;
  readonly byMethod: readonly MethodTotalView[];
  readonly payments: CountedTotal;
  readonly refunds: CountedTotal;
  readonly voids: CountedTotal;
  readonly futurePayments: CountedTotal;
  readonly declined: CountedTotal;
  readonly net: MoneyView;
  readonly expectedCash: MoneyView;
  /** The drawer counts taken in this shift, newest last. */
  readonly drawerCounts: readonly DrawerCountView[];
}

export interface DrawerCountView {
  readonly id: string;
  readonly counted: MoneyView;
  readonly expected: MoneyView;
  /** counted − expected: positive is over, negative short. */
  readonly difference: MoneyView;
  readonly countedBy: string;
  readonly countedAt: string;
}

/**
 * Card work that needs a person: a payment stored offline that the processor declined when it was
 * forwarded, or a due future payment the saved card could not pay.
 */
/** What staff can do about an item (checkout's `FollowUpAction`). */
export type FollowUpActionView =
  | "acknowledge"
  | "collect-cash"
  | "collect-check"
  | "retry-saved-card"
  | "charge-another-card"
  | "collected-elsewhere"
  | "cancel";

export interface AttentionItem {
  readonly recordId: string;
  readonly kind:
    | "offline-declined"
    | "collection-failed"
    | "authentication-required"
    | "refused-by-central"
    | "due-at-desk";
  readonly invoiceNumber: string;
  readonly clientName: string;
  readonly amount: MoneyView;
  /** The processor's answer (a decline code), why the collection failed, central's code and reason, or the method due. */
  readonly outcome: string;
  /**
   * When it was forwarded (offline-declined), when it is tried next (collection-failed; null: no more
   * tries), when central refused it (refused-by-central), or the studio date it fell due (due-at-desk).
   */
  readonly at: string | null;
  readonly attempts: number | null;
  /** The item's actions, in the order they are shown. */
  readonly actions: readonly FollowUpActionView[];
  /** authentication-required: the payment page to send the client (they approve the charge there). */
  readonly payLink: string | null;
}
