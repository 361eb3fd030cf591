import type { CardNumber } from "./card/card-number.js";
import type { MaskedPan } from "./card/masked-pan.js";
import type { SwipedTracks } from "./card/swiped-tracks.js";
import type { Money } from "./money.js";

/** How card payments are taken: through an integrated processor, or typed in by hand from another terminal. */
export type ProcessorIntegration = "manual" | "gateway";

/** What an encrypting reader (MagTek MagneSafe) hands over: only the processor can decrypt it. */
export interface EncryptedCardPayload {
  readonly format: "magtek-magnesafe";
  /** DUKPT key serial number, hex. */
  readonly ksn: string;
  /** Encrypted track 2 (and track 1 when present), hex. */
  readonly encryptedTrack2: string;
  readonly encryptedTrack1: string | null;
  readonly deviceSerial: string | null;
  /** From the reader's masked tracks, for the screen and the record. */
  readonly maskedPan: MaskedPan;
  readonly expiry: CardExpiry;
}

export interface CardExpiry {
  readonly month: number;
  /** Four digits. */
  readonly year: number;
}

/** Where a smart reader's collection stands, for the screen. */
export type ReaderProgress = "waiting-for-card" | "cancelling";

/**
 * A card the client presents on a smart reader (chip, tap or swipe): the reader talks to the
 * processor, so the kiosk never holds any card data. `progress` hears the reader's steps; aborting
 * `cancel` (staff, or the client leaving) cancels the collection at the reader.
 */
export interface ReaderCardSource {
  readonly kind: "reader";
  readonly readerId: string;
  readonly progress?: (step: ReaderProgress) => void;
  readonly cancel?: AbortSignal;
}

/** The page a client pays on with their phone (a QR code on the screen), until it expires. */
export interface PayLink {
  readonly sessionId: string;
  readonly url: string;
  /** ISO 8601. */
  readonly expiresAt: string;
}

/** Wakes a wait early: the processor's webhook said the link was paid (or expired). */
export interface Waker {
  /** Resolves after `ms`, or sooner when woken. */
  wait(ms: number): Promise<void>;
}

/**
 * The client pays on their phone, on the processor's page (a payment link shown as a QR code): the
 * kiosk never sees the card. `onLink` hears the page once it exists; the payment is known when the
 * processor reports it paid (`wake` hastens the look); aborting `cancel` closes the page.
 */
export interface PayLinkSource {
  readonly kind: "pay-link";
  /** What the client sees on the page (the invoice it pays). */
  readonly description: string;
  readonly onLink?: (link: PayLink) => void;
  readonly wake?: Waker;
  readonly cancel?: AbortSignal;
}

/**
 * Where the card comes from. A swiped plain-track card exists only in memory and is wiped after the
 * call; the other kinds carry nothing a thief could use.
 */
export type CardSource =
  | {
      readonly kind: "swiped";
      readonly card: CardNumber;
      readonly expiry: CardExpiry;
      /**
       * The tracks as read (without sentinels or LRC), for processors that take track data
       * (Authorize.Net's card-present `trackData`); held no longer than the number.
       */
      readonly tracks?: SwipedTracks;
    }
  | { readonly kind: "encrypted"; readonly payload: EncryptedCardPayload }
  | { readonly kind: "token"; readonly token: string }
  | { readonly kind: "hosted"; readonly sessionId: string }
  | ReaderCardSource
  | PayLinkSource;

/** The card as the processor describes it: never more than brand, BIN, last 4 and expiry. */
export interface ProcessorCard {
  readonly brand: string | null;
  readonly maskedPan: MaskedPan | null;
  readonly last4: string;
  readonly expiry: CardExpiry | null;
}

/** A charge (authorized and captured) the processor made. */
export interface Charge {
  readonly chargeId: string;
  readonly amount: Money;
  readonly authorizationCode: string;
  readonly card: ProcessorCard;
  /** A reusable token for the card, when the processor issues one. */
  readonly token: string | null;
  readonly idempotencyKey: string;
}

export interface SaleRequest {
  readonly idempotencyKey: string;
  readonly amount: Money;
  readonly source: CardSource;
  /** Ours, for the processor's records and for lookup; never card data. */
  readonly reference: { readonly recordId: string; readonly deviceId: string };
  /**
   * The client agreed to keep the card for later payments: a processor that saves cards from a sale
   * (Authorize.Net's customer profile from the transaction) returns its token with the charge.
   */
  readonly saveCardFor?: { readonly clientId: string };
}

export interface RefundRequest {
  readonly idempotencyKey: string;
  readonly chargeId: string;
  readonly amount: Money;
  readonly reference: { readonly recordId: string; readonly deviceId: string };
}

export interface RefundResult {
  readonly refundId: string;
  readonly chargeId: string;
  readonly amount: Money;
}

export interface SavedCard {
  readonly token: string;
  readonly brand: string | null;
  readonly last4: string;
  readonly expiry: CardExpiry | null;
}

export type HostedEntryPurpose = "charge" | "save";

export interface HostedEntry {
  readonly sessionId: string;
  /** The processor's page where staff key the card; the kiosk never sees the number. */
  readonly url: string;
  /**
   * Fields the page must be opened with by a POST rather than a GET (Authorize.Net's hosted form
   * takes its token so): the staff screen submits them to `url` in its frame.
   */
  readonly formFields?: Readonly<Record<string, string>>;
}

export type HostedEntryStatus =
  | { readonly state: "open" }
  | { readonly state: "completed"; readonly card: SavedCard }
  | { readonly state: "cancelled" | "expired" };

/**
 * One interface for every way the studio takes cards. Every call that moves money carries an
 * idempotency key: the same key always gets the same answer, so a retry never charges twice.
 * Failures are KioskErrors: PROCESSOR_DECLINED and its kin for the card's issuer saying no,
 * PROCESSOR_UNAVAILABLE when nothing was charged, PROCESSOR_OUTCOME_UNKNOWN when it may have been.
 */
export interface CardProcessor {
  readonly kind: ProcessorIntegration;
  sale(request: SaleRequest): Promise<Charge>;
  void(request: { idempotencyKey: string; chargeId: string }): Promise<void>;
  refund(request: RefundRequest): Promise<RefundResult>;
  /** The charge made with this key, or null if the processor never made one. */
  lookup(idempotencyKey: string): Promise<Charge | null>;
  /** The refund made with this key, or null if the processor never made one. */
  lookupRefund(idempotencyKey: string): Promise<RefundResult | null>;
  saveCard(request: { idempotencyKey: string; source: CardSource; clientId: string }): Promise<SavedCard>;
  chargeSavedCard(request: Omit<SaleRequest, "source"> & { token: string }): Promise<Charge>;
  startHostedEntry(request: { purpose: HostedEntryPurpose; amount: Money | null }): Promise<HostedEntry>;
  hostedEntryStatus(sessionId: string): Promise<HostedEntryStatus>;
  cancelHostedEntry(sessionId: string): Promise<void>;
  /** Whether the processor answers right now (for the offline policy and the status bar). */
  reachable(): Promise<boolean>;
}
