import type { HostedEntry } from "../payments/card-processor.js";
import type { Invoice } from "../payments/invoice.js";
import type { InvoiceAccount } from "../payments/invoice-account.js";
import type { Money } from "../payments/money.js";
import type { PaymentRecord } from "../payments/payment-record.js";
import type { ClientSavedCard } from "../store/saved-card-book.js";
import type { FollowUpAction } from "./follow-up.js";

/**
 * What the screens get from checkout (the facade in checkout.ts) and give it: plain data and the
 * domain's own types, never a store's row or a processor. The screens import these from here alone.
 */

export type { HostedEntryStatus, PayLink, ReaderProgress } from "../payments/card-processor.js";
export type { PaymentDraftInput } from "../payments/payment-draft.js";
export type { Channel } from "../payments/rules/rule-context.js";
export type { SmartReaderStatus } from "../payments/smart-reader.js";
export type { DrawerCount } from "../store/drawer-count-book.js";
export type { LockState } from "../store/kiosk-lock.js";
export type { ClientSavedCard } from "../store/saved-card-book.js";
export type { ChargeOutcome } from "./cards/charge-outcome.js";
export type { CardPayments } from "./cards/processor-availability.js";
export type { FollowUpAction } from "./follow-up.js";
export type { StaffActor } from "./ledger.js";
export type { ShiftReport } from "./shift-desk.js";
export type { SignedInStaff } from "./staff/staff-roster.js";

/** An invoice found for a screen, with where it stands from the records on this kiosk. */
export interface FoundInvoice {
  readonly invoice: Invoice;
  readonly account: InvoiceAccount;
  /** The invoice's records on this kiosk, oldest first (a refund names one of its payments). */
  readonly records: readonly PaymentRecord[];
  /** The client's cards on file (token, brand, last 4, expiry), newest first: staff may charge one. */
  readonly savedCards: readonly ClientSavedCard[];
}

/** The processor's page opened for staff to key a card, and the card collection waiting on it. */
export type KeyedEntry = HostedEntry & { readonly collection: number };

/**
 * Card work that needs a person: a payment stored offline that the processor declined when it was
 * forwarded (until staff acknowledge it), or a due future payment the saved card could not pay.
 */
export interface AttentionItem {
  readonly recordId: string;
  /** due-at-desk: a cash or check future payment that has fallen due, for the desk to collect. */
  readonly kind:
    | "offline-declined"
    | "collection-failed"
    | "authentication-required"
    | "refused-by-central"
    | "due-at-desk";
  readonly invoiceNumber: string;
  readonly clientName: string;
  readonly amount: Money;
  /** The processor's answer (a decline code), why the collection failed, or central's code and reason. */
  readonly outcome: string;
  /**
   * When it was forwarded (offline-declined), when it is tried next (collection-failed; null: no more
   * tries), when central refused it (refused-by-central), or the studio date it fell due (due-at-desk).
   */
  readonly at: string | null;
  readonly attempts: number | null;
  /** What staff can do about it, in the order the screen shows them (`Checkout.followUp`). */
  readonly actions: readonly FollowUpAction[];
  /**
   * authentication-required: the payment page (a Stripe Checkout Session central made) staff send
   * the client, whose card needs them to approve the charge; null for every other kind.
   */
  readonly payLink: string | null;
}

/** What a receipt shows beyond the record: the client, what the invoice still owes, who took it. */
export interface ReceiptFacts {
  readonly record: PaymentRecord;
  readonly clientName: string | null;
  /** The invoice's balance now; null when the invoice is no longer on this kiosk. */
  readonly balanceRemaining: Money | null;
  readonly staffName: string | null;
}

/** The most characters "Find a payment" takes, and the most records it answers with. */
export const FIND_TEXT_MAX = 40;
export const FIND_LIMIT = 50;

/** A record "Find a payment" matched: its client's name (null: not cached) and its studio date. */
export interface FoundPayment {
  readonly record: PaymentRecord;
  readonly clientName: string | null;
  readonly date: string;
}
