import type { EmailEntry } from "../receipt-email.js";
import type {
  AmountProblem,
  CardProblem,
  CardVia,
  FindField,
  FindProblem,
  InvoiceView,
  MethodChoice,
  PaidCard,
  PhoneLink,
  PhonePhase,
  SwipePhase,
} from "./screens.js";

/** What the self-service flow needs from the kiosk's configuration; fixed while it runs. */
export interface SelfServiceSettings {
  readonly studioName: string;
  readonly currency: string;
  /** limits.selfService.allowPartial: may a client pay part of the balance. */
  readonly allowPartial: boolean;
  readonly minPartialMinor: number;
  readonly maxAmountMinor: number;
  /** The methods offered: card methods available at self-service pay here, cash and check send to staff. */
  readonly methods: readonly MethodChoice[];
  readonly printerAvailable: boolean;
  /** The receipt can be emailed (central sends it; the kiosk syncs with central). Absent: no. */
  readonly emailReceipts?: boolean;
  /** How long the thank-you screen stays before the attract screen returns. */
  readonly thankYouMs: number;
  /** Card payments go to a smart reader (the client inserts, taps or swipes there), not a swipe here. */
  readonly smartReader: boolean;
  /** The card method a payment on the client's phone is recorded under; null: no pay by phone. */
  readonly phoneMethodId: string | null;
  /** The processor can keep a card paid here for later payments: the client is offered the choice. */
  readonly saveCards: boolean;
}

export type SelfServiceState =
  | { readonly step: "attract" }
  | {
      readonly step: "find";
      readonly invoiceNumber: string;
      readonly lastName: string;
      readonly field: FindField;
      readonly searching: boolean;
      readonly problem: FindProblem | null;
    }
  | { readonly step: "summary"; readonly invoice: InvoiceView }
  | {
      readonly step: "amount";
      readonly invoice: InvoiceView;
      readonly enteredMinor: number;
      readonly problem: AmountProblem | null;
    }
  | {
      readonly step: "method";
      readonly invoice: InvoiceView;
      readonly amountMinor: number;
      /** "Save this card for future payments", ticked by the client; off until they tick it. */
      readonly saveCard: boolean;
    }
  | {
      readonly step: "see-staff";
      readonly invoice: InvoiceView;
      readonly amountMinor: number;
      readonly methodName: string;
    }
  | {
      readonly step: "swipe";
      readonly invoice: InvoiceView;
      readonly amountMinor: number;
      readonly methodId: string;
      readonly via: CardVia;
      readonly phase: SwipePhase;
      readonly problem: CardProblem | null;
      /** The client agreed to keep this card for later payments. */
      readonly saveCard: boolean;
    }
  | {
      readonly step: "phone";
      readonly invoice: InvoiceView;
      readonly amountMinor: number;
      readonly methodId: string;
      readonly phase: PhonePhase;
      readonly link: PhoneLink | null;
      readonly problem: CardProblem | null;
    }
  | {
      readonly step: "receipt";
      readonly invoice: InvoiceView;
      readonly amountMinor: number;
      readonly recordId: string;
      readonly card: PaidCard;
      readonly printing: boolean;
      readonly printFailed: boolean;
      /** The email keyboard, open over the receipt question; null when closed. */
      readonly email: EmailEntry | null;
    }
  | {
      readonly step: "thank-you";
      readonly amountMinor: number;
      readonly balanceRemainingMinor: number;
      readonly currency: string;
      readonly receiptPrinted: boolean;
    };

export const ATTRACT: SelfServiceState = { step: "attract" };

export const emptyFind = (): Extract<SelfServiceState, { step: "find" }> => ({
  step: "find",
  invoiceNumber: "",
  lastName: "",
  field: "invoiceNumber",
  searching: false,
  problem: null,
});
