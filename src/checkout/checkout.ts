import type { Clock } from "../core/clock.js";
import { ErrorCodes } from "../core/error-codes.js";
import { KioskError } from "../core/kiosk-error.js";
import type { Logger } from "../core/logger.js";
import type { CardRead } from "../drivers/card-reader/card-read.js";
import type { PayLink, ReaderProgress } from "../payments/card-processor.js";
import { invoiceAccount } from "../payments/invoice-account.js";
import type { Money } from "../payments/money.js";
import type { PaymentDraftInput } from "../payments/payment-draft.js";
import type { PaymentRecord } from "../payments/payment-record.js";
import type { Channel } from "../payments/rules/rule-context.js";
import type { SmartReaderStatus } from "../payments/smart-reader.js";
import { attentionItems } from "./attention.js";
import type { CardCharger } from "./cards/card-charger.js";
import type { CardService } from "./cards/card-service.js";
import type { ChargeOutcome } from "./cards/charge-outcome.js";
import { PayLinkWakers } from "./cards/pay-link-wakers.js";
import { cardPayments } from "./cards/processor-availability.js";
import { withSwipeSource } from "./cards/swipe-source.js";
import type { CheckoutTables } from "./checkout-tables.js";
import {
  type AttentionItem,
  type CardPayments,
  type DrawerCount,
  FIND_LIMIT,
  FIND_TEXT_MAX,
  type FoundInvoice,
  type FoundPayment,
  type HostedEntryStatus,
  type KeyedEntry,
  type LockState,
  type ReceiptFacts,
  type ShiftReport,
  type SignedInStaff,
  type StaffActor,
} from "./checkout-types.js";
import {
  cancelScheduled,
  closeForAnotherCard,
  collectAtDesk,
  type FollowUpAction,
  markCollectedElsewhere,
} from "./follow-up.js";
import type { ShiftDesk } from "./shift-desk.js";
import type { StaffMember } from "./staff/config.js";
import { staffForPin } from "./staff/staff-roster.js";

export interface CheckoutParts {
  readonly tables: Pick<
    CheckoutTables,
    | "ledger"
    | "transact"
    | "invoices"
    | "records"
    | "offlineCards"
    | "collections"
    | "shifts"
    | "outbox"
    | "lock"
    | "savedCards"
  >;
  readonly desk: ShiftDesk;
  /** Card processing; null when the kiosk runs without it (cash, checks and manual cards still work). */
  readonly cards: CardService | null;
  /** The staff list from the configuration: who may sign in, with which PIN (as a hash). */
  readonly staff: readonly StaffMember[];
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * The one place the screens take money through: invoices and where they stand, payments and refunds
 * (the facade decides whether a record goes to the ledger alone or through the card charger), voids,
 * keyed card entry, the shift's paperwork, what needs a person, staff sign-in, the lock and the
 * status bar's count. It answers with plain data and the domain's types (checkout-types.ts).
 */
export class Checkout {
  readonly #payLinks = new PayLinkWakers();

  constructor(private readonly parts: CheckoutParts) {}

  /** The studio's date now, in its time zone. */
  today(): string {
    return this.parts.tables.ledger.today();
  }

  /**
   * An invoice by its number with the client's last name, or (a code printed on the invoice, or
   * staff looking it up) by its number alone; null when nothing matches.
   */
  findInvoice(invoiceNumber: string, lastName: string | null): FoundInvoice | null {
    const { invoices, records, savedCards } = this.parts.tables;
    const invoice =
      lastName === null ? invoices.findByNumber(invoiceNumber) : invoices.find(invoiceNumber, lastName);
    if (!invoice) return null;
    const taken = records.forInvoice(invoice.id);
    const elsewhere = invoices.elsewhere(invoice.id, invoice.currency);
    return {
      invoice,
      account: invoiceAccount({ ...invoice, elsewhere }, taken),
      records: taken,
      savedCards: savedCards.forClient(invoice.client.id),
    };
  }

  /** A record of this kiosk with its invoice, what the invoice still owes and who took it: a receipt's facts. */
  receiptFacts(recordId: string): ReceiptFacts | null {
    const { invoices, records } = this.parts.tables;
    const record = records.get(recordId);
    if (!record) return null;
    const invoice = invoices.get(record.invoiceId);
    const balance = invoice ? invoiceAccount(invoice, records.forInvoice(invoice.id)).balance : null;
    const staff = this.parts.staff.find((member) => member.id === record.staffId);
    return {
      record,
      clientName: invoice ? `${invoice.client.firstName} ${invoice.client.lastName}`.trim() : null,
      balanceRemaining: balance,
      staffName: staff?.name ?? null,
    };
  }

  /**
   * Staff's Save & Close: a refund goes through the card charger (a card refund reaches the
   * processor; any other is complete at once); anything else — cash, check, a manual card, a future
   * payment — is recorded by the ledger alone. Without card processing, refunds take the ledger too.
   */
  async record(draft: PaymentDraftInput, staff: StaffActor): Promise<ChargeOutcome> {
    this.#refuseWhenLocked();
    const { cards, tables } = this.parts;
    if (draft.kind === "refund" && cards) return cards.charger.refund(draft, staff);
    return { kind: "approved", record: tables.ledger.record(draft, { kind: "staff", staffId: staff.id }) };
  }

  /**
   * A swiped card, through the processor (intent on disk first, never charged twice). `charging` is
   * told once the swipe is usable, before the processor is called. The card's clear data is wiped
   * whatever happens.
   */
  async payWithSwipe(
    draft: PaymentDraftInput,
    channel: Channel,
    read: CardRead,
    charging: () => void = () => {},
    options: { saveCard?: boolean } = {},
  ): Promise<ChargeOutcome> {
    return withSwipeSource(read, async (source) => {
      try {
        this.#refuseWhenLocked();
        charging();
        return await this.#charger().pay(draft, channel, source, options);
      } finally {
        if (source.kind === "swiped") source.card.wipe();
      }
    });
  }

  /** Whether a card can be charged here now (for the status bar and the attract screen). */
  cardPayments(): CardPayments {
    return cardPayments(this.parts.cards);
  }

  /** Where the smart reader stands (for the status bar); null when the kiosk has none. */
  smartReaderStatus(): SmartReaderStatus | null {
    return this.parts.cards?.smartReader?.status() ?? null;
  }

  /**
   * A card the client presents on the smart reader (chip, tap or swipe): the intent is on disk first,
   * the reader collects, the kiosk never sees card data. `progress` hears the reader's steps;
   * aborting `cancel` cancels the collection at the reader (nothing is charged). `saveCard`: the
   * client agreed to keep the card for later payments.
   */
  payOnReader(
    draft: PaymentDraftInput,
    channel: Channel,
    hooks: { progress?: (step: ReaderProgress) => void; cancel?: AbortSignal; saveCard?: boolean } = {},
  ): Promise<ChargeOutcome> {
    const reader = this.#cards().smartReader;
    if (!reader) {
      throw new KioskError(ErrorCodes.PROCESSOR_NOT_INTEGRATED, "This kiosk has no smart card reader.");
    }
    const { saveCard, ...follow } = hooks;
    return this.#charger().pay(
      draft,
      channel,
      { kind: "reader", readerId: reader.id, ...follow },
      { saveCard: saveCard === true },
    );
  }

  /**
   * Pay on your phone: the processor's payment page for the amount, handed to `onLink` (the screen
   * shows it as a QR code); resolves when the processor reports it paid — the record is then on disk
   * — or the page expired or was closed by aborting `cancel` (declined: nothing charged).
   */
  async payByPhone(
    draft: PaymentDraftInput,
    channel: Channel,
    hooks: { description: string; onLink: (link: PayLink) => void; cancel?: AbortSignal },
  ): Promise<ChargeOutcome> {
    const waker = this.#payLinks.waker();
    try {
      return await this.#charger().pay(draft, channel, {
        kind: "pay-link",
        description: hooks.description,
        onLink: (link) => {
          waker.listen(link.sessionId);
          hooks.onLink(link);
        },
        wake: waker,
        ...(hooks.cancel ? { cancel: hooks.cancel } : {}),
      });
    } finally {
      waker.forget();
    }
  }

  /** Central passed on the processor's word that a payment page was paid or expired: look now. */
  paymentNotice(sessionId: string): void {
    if (!this.#payLinks.wake(sessionId))
      this.parts.logger.info("a payment notice for no page on the screen", { sessionId });
  }

  /**
   * Staff charge one of the client's saved cards (the client is at the desk): the card must be on
   * file for the invoice's client; its brand fills the record, and the processor charges its token
   * under the payment's own intent.
   */
  async payWithSavedCard(draft: PaymentDraftInput, staff: StaffActor, token: string): Promise<ChargeOutcome> {
    this.#refuseWhenLocked();
    const { invoices, savedCards } = this.parts.tables;
    const clientId = invoices.get(draft.invoiceId)?.client.id ?? null;
    const card = clientId === null ? null : savedCards.find(clientId, token);
    if (!card || draft.methodFields.type !== "card")
      throw new KioskError(
        ErrorCodes.SAVED_CARD_MISSING,
        "That card is not on file for this client any more. Choose another way to pay.",
      );
    return this.#charger().pay(
      {
        ...draft,
        methodFields: { ...draft.methodFields, entryMode: "keyed", brand: card.brand, cardType: card.brand },
      },
      { kind: "staff", staffId: staff.id },
      { kind: "token", token: card.token },
    );
  }

  /**
   * A card staff keyed on the processor's hosted page (the kiosk never saw its number). The page
   * stores the card at the processor: it stays there as the client's saved card only when the payment
   * is approved and `saveCard` says the client agreed; otherwise the kiosk deletes it.
   */
  async payKeyed(
    draft: PaymentDraftInput,
    staff: StaffActor,
    sessionId: string,
    options: { saveCard?: boolean } = {},
  ): Promise<ChargeOutcome> {
    this.#refuseWhenLocked();
    return this.#charger().pay(
      draft,
      { kind: "staff", staffId: staff.id },
      { kind: "hosted", sessionId },
      { saveCard: options.saveCard === true },
    );
  }

  /** A manager voids a record: with card processing, a processor charge is voided there too. */
  async void(recordId: string, staff: StaffActor): Promise<PaymentRecord> {
    this.#refuseWhenLocked();
    const { cards, tables } = this.parts;
    if (cards) return cards.charger.void(recordId, staff);
    return tables.ledger.void(recordId, staff);
  }

  /** Opens the processor's page for staff to key a card for this amount. */
  async startKeyedEntry(amount: Money): Promise<KeyedEntry> {
    this.#refuseWhenLocked();
    return this.#charger().startKeyedEntry("charge", amount);
  }

  keyedEntryStatus(sessionId: string, collection: number): Promise<HostedEntryStatus> {
    return this.#charger().keyedEntryStatus(sessionId, collection);
  }

  /** Staff left the keyed entry: the page is closed at the processor and what it stored deleted. Never fails. */
  async cancelKeyedEntry(sessionId: string, collection: number): Promise<void> {
    await this.#cards().charger.cancelKeyedEntry(sessionId, collection);
  }

  /** The open shift's (X) report. */
  shiftReport(staffId: string): ShiftReport {
    return this.parts.desk.report(staffId);
  }

  /** End of day (Z): the report of the shift it closes. */
  closeDay(staffId: string): ShiftReport {
    return this.parts.desk.closeDay(staffId);
  }

  countDrawer(countedMinor: number, staffId: string): DrawerCount {
    return this.parts.desk.countDrawer(countedMinor, staffId);
  }

  /** The open shift's records in the order they were taken (none before the shift's first). */
  shiftRecords(): PaymentRecord[] {
    const { shifts, records } = this.parts.tables;
    const shift = shifts.current();
    return shift ? records.forShift(shift.id) : [];
  }

  /**
   * "Find a payment": the kiosk's records whose invoice number or client name contains `text`
   * (1 to FIND_TEXT_MAX characters), newest first, at most FIND_LIMIT, each with its studio date.
   */
  findPayments(text: string): FoundPayment[] {
    const typed = text.trim();
    if (typed.length === 0 || typed.length > FIND_TEXT_MAX || /\p{Cc}/u.test(typed)) {
      throw new KioskError(
        ErrorCodes.STAFF_SEARCH_INVALID,
        `Type 1 to ${FIND_TEXT_MAX} letters or digits of an invoice number or a client's name.`,
      );
    }
    const { ledger, records } = this.parts.tables;
    return records
      .matching(typed, FIND_LIMIT)
      .map(({ record, clientName }) => ({ record, clientName, date: ledger.dateAt(record.createdAt) }));
  }

  needsAttention(): AttentionItem[] {
    return attentionItems(this.parts.tables, this.today(), {
      retriesSavedCards: this.parts.cards?.retriesSavedCards ?? false,
    });
  }

  /**
   * Staff act on an item that needs a person (`AttentionItem.actions`): collect a due cash or check
   * future payment at the desk (`text`: the check number), retry the saved card now, mark it
   * collected elsewhere (`text`: the reference) or cancel it (`text`: the reason). Each is the
   * record's next revision — audited and synced — or, for an offline decline, its acknowledgement.
   */
  async followUp(
    recordId: string,
    action: FollowUpAction,
    text: string | null,
    staff: StaffActor,
  ): Promise<PaymentRecord | null> {
    this.#refuseWhenLocked();
    const deps = { tables: this.parts.tables, clock: this.parts.clock };
    switch (action) {
      case "acknowledge":
        this.acknowledgeDecline(recordId, staff.id);
        return null;
      case "collect-cash":
        return collectAtDesk(deps, recordId, staff, { type: "cash" });
      case "collect-check":
        return collectAtDesk(deps, recordId, staff, { type: "check", checkNumber: text ?? "" });
      case "retry-saved-card": {
        if (!this.parts.cards) {
          throw new KioskError(
            ErrorCodes.FOLLOW_UP_NOT_AVAILABLE,
            "Card processing is not running on this kiosk.",
          );
        }
        await this.parts.cards.collectNow(recordId);
        return this.parts.tables.records.get(recordId);
      }
      case "charge-another-card":
        return closeForAnotherCard(deps, recordId, staff);
      case "collected-elsewhere":
        return markCollectedElsewhere(deps, recordId, text ?? "", staff);
      case "cancel":
        return cancelScheduled(deps, recordId, text ?? "", staff);
    }
  }

  /** Staff followed up an offline payment the processor declined: it leaves the list. */
  acknowledgeDecline(recordId: string, staffId: string): void {
    this.parts.tables.offlineCards.acknowledge(recordId, this.parts.clock.now().toISOString());
    this.parts.logger.info("offline decline followed up", { recordId, staffId });
  }

  staffForPin(pin: string): Promise<SignedInStaff | null> {
    return staffForPin(pin, this.parts.staff);
  }

  lockState(): LockState {
    return this.parts.tables.lock.state;
  }

  lock(reason: string, staffId: string): void {
    this.parts.tables.lock.lock(reason, staffId);
  }

  unlock(staffId: string): void {
    this.parts.tables.lock.unlock(staffId);
  }

  /** Calls `listener` on every change of the lock (staff here, or a command from central); returns the undo. */
  onLockChanged(listener: (lock: LockState) => void): () => void {
    const { lock } = this.parts.tables;
    lock.on("changed", listener);
    return () => lock.off("changed", listener);
  }

  /** Records written here that central has not acknowledged yet. */
  waitingToSync(): number {
    return this.parts.tables.outbox.depth().depth;
  }

  /**
   * A locked kiosk (staff, or central's signed lock — say, for a stolen kiosk) moves no money: the
   * screens hide the steps that would, and the facade refuses them all the same.
   */
  #refuseWhenLocked(): void {
    const lock = this.parts.tables.lock.state;
    if (lock.locked) {
      throw new KioskError(
        ErrorCodes.KIOSK_LOCKED,
        "This kiosk is locked: it takes and returns no money until it is unlocked.",
        {
          reason: lock.reason,
        },
      );
    }
  }

  #cards(): CardService {
    if (!this.parts.cards) {
      throw new KioskError(
        ErrorCodes.PROCESSOR_NOT_INTEGRATED,
        "Card processing is not running on this kiosk.",
      );
    }
    return this.parts.cards;
  }

  #charger(): CardCharger {
    return this.#cards().charger;
  }
}
