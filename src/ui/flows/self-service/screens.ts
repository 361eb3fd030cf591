import type { MoneyView } from "../money-view.js";
import type { EmailEntry } from "../receipt-email.js";

/** One line of an invoice as the client sees it. */
export interface InvoiceLineView {
  readonly description: string;
  readonly quantity: number;
  readonly amount: MoneyView;
}

/** The invoice the client found, with where it stands. */
export interface InvoiceView {
  readonly id: string;
  readonly number: string;
  readonly clientName: string;
  readonly lines: readonly InvoiceLineView[];
  readonly total: MoneyView;
  readonly paid: MoneyView;
  readonly balance: MoneyView;
  /** The most the client may pay now (the balance less payments still being settled). */
  readonly payable: MoneyView;
  /**
   * Set while the kiosk cannot reach central: the balance is what central said last, as of `at`
   * (null when the kiosk does not know when that was). Absent when the balance is current.
   */
  readonly balanceAsOf?: { readonly at: string | null };
}

export type FindField = "invoiceNumber" | "lastName";

/** Why a search found nothing to pay; the browser words it from the message files. */
export type FindProblem = "not-found" | "incomplete" | "scan-unrecognized";

export type AmountProblem = "zero" | "over-balance" | "under-minimum" | "over-limit";

export interface MethodChoice {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  /** True when the client pays by this method here; false sends them to staff. */
  readonly here: boolean;
}

/** The processor's answer to a card, in words from the message files keyed by code. */
export interface CardProblem {
  readonly code: string;
  readonly message: string;
}

/**
 * Where a card payment stands. A swipe on the kiosk's own reader: waiting, then processing. On a
 * smart reader the reader takes the card: the collection starts, the reader waits for the card
 * (insert, tap or swipe), or is being cancelled. Either way it may end declined or unknown.
 */
export type SwipePhase =
  | "waiting"
  | "processing"
  | "declined"
  | "unreadable"
  | "unknown"
  | "reader-starting"
  | "reader-waiting"
  | "cancelling";

/** How the card is taken: swiped on the kiosk's reader, or presented on the smart reader. */
export type CardVia = "swipe" | "reader";

/** Pay on your phone: the page is being made, shown (its QR code), closing, or over without a payment. */
export type PhonePhase = "starting" | "waiting" | "closing" | "expired" | "declined" | "unknown";

/** A QR code drawn as one SVG path over a `size`×`size` grid of modules (the server encodes it). */
export interface QrCode {
  readonly size: number;
  readonly path: string;
}

/** The payment page as the screen shows it. */
export interface PhoneLink {
  readonly url: string;
  readonly expiresAt: string;
  readonly qr: QrCode;
}

export interface PaidCard {
  readonly maskedPan: string | null;
  readonly brand: string | null;
  readonly authorizationCode: string | null;
}

export type SelfServiceScreen =
  | { readonly name: "self.attract"; readonly studioName: string }
  | {
      readonly name: "self.find";
      readonly invoiceNumber: string;
      readonly lastName: string;
      readonly field: FindField;
      readonly searching: boolean;
      readonly problem: FindProblem | null;
    }
  | {
      readonly name: "self.summary";
      readonly invoice: InvoiceView;
      /** Whether "Pay on your phone" is offered (a processor with payment pages). */
      readonly payByPhone: boolean;
    }
  | {
      readonly name: "self.phone";
      readonly invoiceNumber: string;
      readonly amount: MoneyView;
      readonly phase: PhonePhase;
      readonly link: PhoneLink | null;
      readonly problem: CardProblem | null;
    }
  | {
      readonly name: "self.amount";
      readonly invoiceNumber: string;
      readonly payable: MoneyView;
      /** What the client typed, in minor units (0 when nothing yet). */
      readonly entered: MoneyView;
      readonly minimum: MoneyView;
      readonly problem: AmountProblem | null;
    }
  | {
      readonly name: "self.method";
      readonly invoiceNumber: string;
      readonly amount: MoneyView;
      readonly methods: readonly MethodChoice[];
      /** "Save this card for future payments": ticked or not; null when cards cannot be kept here. */
      readonly saveCard: boolean | null;
    }
  | {
      readonly name: "self.see-staff";
      readonly invoiceNumber: string;
      readonly amount: MoneyView;
      readonly methodName: string;
    }
  | {
      readonly name: "self.swipe";
      readonly invoiceNumber: string;
      readonly amount: MoneyView;
      readonly via: CardVia;
      readonly phase: SwipePhase;
      readonly problem: CardProblem | null;
      /** The client agreed to keep this card for later payments. */
      readonly saveCard: boolean;
    }
  | {
      readonly name: "self.receipt";
      readonly invoiceNumber: string;
      readonly amount: MoneyView;
      readonly card: PaidCard;
      readonly printing: boolean;
      readonly printFailed: boolean;
      readonly printerAvailable: boolean;
      readonly emailReceipts: boolean;
      /** The email keyboard, open over the question; null when closed. */
      readonly email: EmailEntry | null;
    }
  | {
      readonly name: "self.thank-you";
      readonly amount: MoneyView;
      readonly balanceRemaining: MoneyView;
      readonly receiptPrinted: boolean;
    };

export type SelfServiceScreenName = SelfServiceScreen["name"];
