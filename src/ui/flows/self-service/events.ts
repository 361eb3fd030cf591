import type { ReaderProgress } from "../../../payments/card-processor.js";
import type { MoneyView } from "../money-view.js";
import type { ErrorView } from "../staff/views.js";
import type { CardProblem, InvoiceView, PaidCard, PhoneLink } from "./screens.js";

/** What became of a card charge, as the flow needs it (no card data beyond the masked number). */
export type ChargeResult =
  | { readonly kind: "approved"; readonly recordId: string; readonly card: PaidCard }
  | { readonly kind: "stored-offline"; readonly recordId: string; readonly card: PaidCard }
  | { readonly kind: "declined"; readonly problem: CardProblem }
  | { readonly kind: "unknown"; readonly problem: CardProblem };

export type SelfServiceEvent =
  | { readonly type: "touch"; readonly action: string; readonly value?: string | undefined }
  | { readonly type: "scanned"; readonly invoiceNumber: string }
  | { readonly type: "scan-rejected" }
  | { readonly type: "lookup-finished"; readonly invoice: InvoiceView | null }
  | { readonly type: "card-read" }
  | { readonly type: "card-unreadable"; readonly problem: CardProblem }
  | { readonly type: "charge-finished"; readonly result: ChargeResult }
  /** The payment page for the client's phone exists: show its QR code. */
  | { readonly type: "pay-link-ready"; readonly link: PhoneLink }
  /** The smart reader's step while it collects (it waits for the card; it is being cancelled). */
  | { readonly type: "reader-progress"; readonly step: ReaderProgress }
  | { readonly type: "receipt-finished"; readonly printed: boolean }
  /** Central's answer to an emailed receipt: sent (error null), or why not. */
  | { readonly type: "receipt-emailed"; readonly recordId: string; readonly error: ErrorView | null }
  | { readonly type: "timer-expired"; readonly timer: "thank-you" }
  /** Central's accounts changed what was paid on these invoices (at another kiosk, at the front desk). */
  | { readonly type: "invoices-changed"; readonly invoiceIds: readonly string[] }
  /** The invoice shown, looked up again after central's accounts changed it. */
  | { readonly type: "invoice-refreshed"; readonly invoice: InvoiceView }
  /** Idle timeout or leaving the mode: back to attract, nothing personal kept. */
  | { readonly type: "reset" };

export type SelfServiceEffect =
  | { readonly type: "find-invoice"; readonly invoiceNumber: string; readonly lastName: string | null }
  /** Look the invoice shown up again (by its number: the client already found it); its balance changed. */
  | { readonly type: "refresh-invoice"; readonly invoiceNumber: string }
  /** Charge the card the session holds from the reader's last read. */
  | {
      readonly type: "charge-card";
      readonly invoiceId: string;
      readonly methodId: string;
      readonly amount: MoneyView;
      /** The client agreed to keep the card for later payments. */
      readonly saveCard: boolean;
    }
  /** Collect the card on the smart reader for this payment (the reader takes it; nothing is held here). */
  | {
      readonly type: "collect-on-reader";
      readonly invoiceId: string;
      readonly methodId: string;
      readonly amount: MoneyView;
      /** The client agreed to keep the card for later payments. */
      readonly saveCard: boolean;
    }
  /** Cancel the collection under way on the smart reader. */
  | { readonly type: "cancel-reader" }
  /** A payment page for the client's phone, for this amount (the processor's page; the kiosk sees no card). */
  | {
      readonly type: "start-pay-link";
      readonly invoiceId: string;
      readonly invoiceNumber: string;
      readonly methodId: string;
      readonly amount: MoneyView;
    }
  /** Close the payment page (the client left, or chose another way): nothing can be paid there after. */
  | { readonly type: "close-pay-link" }
  | {
      readonly type: "print-receipt";
      readonly recordId: string;
      readonly invoiceNumber: string;
      readonly amount: MoneyView;
      readonly balanceRemaining: MoneyView;
      readonly card: PaidCard;
    }
  /** Ask central to email the receipt to this address (already checked). */
  | { readonly type: "email-receipt"; readonly recordId: string; readonly address: string }
  | { readonly type: "start-timer"; readonly timer: "thank-you"; readonly ms: number };
