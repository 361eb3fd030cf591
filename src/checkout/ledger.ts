import type { Clock } from "../core/clock.js";
import { ErrorCodes } from "../core/error-codes.js";
import { KioskError } from "../core/kiosk-error.js";
import { type CardIntent, storedState } from "../payments/card-intent/card-intent.js";
import {
  type IntentEffect,
  type IntentEvent,
  isStoredEffect,
  type StoredEffect,
} from "../payments/card-intent/intent-events.js";
import {
  type BegunIntent,
  beginIntent,
  heldByProcessor,
  intentTransition,
} from "../payments/card-intent/intent-machine.js";
import type { ProcessorIntegration } from "../payments/card-processor.js";
import { type InvoiceAccount, invoiceAccount } from "../payments/invoice-account.js";
import type { PaymentMethod } from "../payments/payment-method.js";
import type { PaymentRecord } from "../payments/payment-record.js";
import { createRecord, parseDraft } from "../payments/rules/create-record.js";
import type { Channel, PaymentLimits } from "../payments/rules/rule-context.js";
import { checkVoid } from "../payments/rules/void-rules.js";
import { studioToday } from "../payments/studio-date.js";
import { cardIntentOf, type IntentBook } from "../store/intent-book.js";
import type { InvoiceCache } from "../store/invoice-cache.js";
import type { RecordStore } from "../store/record-store.js";
import type { ShiftBook } from "../store/shift-book.js";
import type { Transact } from "../store/transaction.js";

export interface LedgerSettings {
  readonly deviceId: string;
  readonly timeZone: string;
  readonly methods: readonly PaymentMethod[];
  readonly limits: PaymentLimits;
  readonly processorKind: ProcessorIntegration;
}

export interface LedgerParts {
  readonly transact: Transact;
  readonly records: RecordStore;
  readonly invoices: InvoiceCache;
  readonly shifts: ShiftBook;
  readonly intents: IntentBook;
  readonly clock: Clock;
  readonly newId: () => string;
}

export interface StaffActor {
  readonly id: string;
  readonly role: "cashier" | "manager";
}

const actorOf = (channel: Channel): string => (channel.kind === "staff" ? channel.staffId : "client");

/** Writes that belong to an intent's answer besides the record (saved card, offline store, attempts). */
export type StoredEffectWriter = (effect: StoredEffect, at: string) => void;

const noOtherWrites: StoredEffectWriter = (effect) => {
  throw new KioskError(ErrorCodes.INTERNAL, `Nothing here writes the intent's ${effect.kind}.`);
};

/** A record with the intent just opened for it (if it goes to the processor) and what to do first. */
export interface RecordWithIntent {
  readonly record: PaymentRecord;
  readonly begun: BegunIntent | null;
}

/** An intent after the machine moved it, with its record as written and the effects still to run. */
export interface SettledIntent {
  readonly intent: CardIntent;
  readonly record: PaymentRecord;
  readonly effects: readonly IntentEffect[];
}

/**
 * Takes payments and refunds: validates a draft against the invoice as it stands inside an IMMEDIATE
 * transaction (so two writers cannot both spend the same balance), then writes the record, its
 * outbox row and its audit row in that one transaction. When a call returns, the record is on disk.
 */
export class Ledger {
  constructor(
    private readonly parts: LedgerParts,
    private readonly settings: LedgerSettings,
  ) {}

  today(): string {
    return studioToday(this.parts.clock.now(), this.settings.timeZone);
  }

  /** The studio's date at an instant (ISO), in its time zone. */
  dateAt(iso: string): string {
    return studioToday(new Date(iso), this.settings.timeZone);
  }

  record(input: unknown, channel: Channel): PaymentRecord {
    return this.recordWithIntent(input, channel).record;
  }

  /** Records a draft; one the processor must authorize gets its intent, opened in the same transaction. */
  recordWithIntent(input: unknown, channel: Channel): RecordWithIntent {
    const draft = parseDraft(input);
    const { invoices, records, shifts, clock, newId } = this.parts;
    return this.#immediate(`the ${draft.kind}`, () => {
      const invoice = invoices.terms(draft.invoiceId);
      if (!invoice) {
        throw new KioskError(
          ErrorCodes.PAYMENT_INVOICE_UNKNOWN,
          "This kiosk does not have that invoice: look it up again or ask staff.",
          { invoiceId: draft.invoiceId },
        );
      }
      const now = clock.now();
      const shift = shifts.ensure(newId, now.toISOString(), actorOf(channel));
      const record = createRecord(
        draft,
        {
          invoice,
          records: records.linesFor(invoice.id),
          methods: this.settings.methods,
          limits: this.settings.limits,
          today: studioToday(now, this.settings.timeZone),
          channel,
          processorKind: this.settings.processorKind,
        },
        { id: newId(), deviceId: this.settings.deviceId, shiftId: shift.id, now },
      );
      records.insert(record, actorOf(channel));
      if (record.status !== "authorizing") return { record, begun: null };
      // The intent is committed with the record, before anyone calls the processor.
      const begun = beginIntent(record.kind === "payment" ? "sale" : "refund", record);
      this.#open(begun.intent, record, record.createdAt);
      return { record, begun };
    });
  }

  /** A manager voids a record of the current shift that nothing has refunded. */
  void(recordId: string, staff: StaffActor): PaymentRecord {
    return this.voidWithIntent(recordId, staff).record;
  }

  /** A void, with the intent that sends it to the processor when the processor holds the charge. */
  voidWithIntent(recordId: string, staff: StaffActor): RecordWithIntent {
    const { invoices, records, shifts, clock } = this.parts;
    return this.#immediate("the void", () => {
      const record = this.#existing(recordId);
      const invoice = invoices.terms(record.invoiceId);
      if (!invoice)
        throw new KioskError(ErrorCodes.PAYMENT_INVOICE_UNKNOWN, "The record's invoice is missing.");
      checkVoid({
        record,
        invoice,
        records: records.linesFor(invoice.id),
        currentShiftId: shifts.current()?.id ?? null,
        role: staff.role,
      });
      const at = clock.now().toISOString();
      const voided = this.#revise(
        record,
        { status: "voided", voidedAt: at, voidedBy: staff.id, updatedAt: at },
        staff.id,
        "record.voided",
      );
      if (!heldByProcessor(voided)) return { record: voided, begun: null };
      // The processor still holds the charge: the void to send it is an intent like any other.
      const begun = beginIntent("void", voided);
      this.#open(begun.intent, voided, at);
      return { record: voided, begun };
    });
  }

  /**
   * Settles an intent with what happened to it (a processor's answer, a look-up, a forward): the
   * card-intent machine says the intent's next state and the record's change, and both are written
   * with the other writes of the answer (`writeAlongside`) in one transaction. An event the intent's
   * state does not take throws CARD_INTENT_EVENT_REFUSED and writes nothing. The effects returned
   * (processor calls, look-ups, wiping card data, asking a person) are the caller's to run.
   */
  settle(
    key: string,
    event: IntentEvent,
    actor: string,
    writeAlongside: StoredEffectWriter = noOtherWrites,
  ): SettledIntent {
    return this.#immediate("the processor's answer", () => {
      const at = this.parts.clock.now().toISOString();
      const stored = this.parts.intents.get(key);
      if (!stored) {
        throw new KioskError(ErrorCodes.PAYMENT_RECORD_UNKNOWN, "There is no such processor intent.", {
          key,
        });
      }
      const intent = cardIntentOf(stored);
      const record = this.#existing(stored.recordId);
      const next = intentTransition(intent, record, event);
      const from = storedState(intent.operation, intent.state);
      const to = storedState(intent.operation, next.state);
      if (from.phase !== to.phase || from.outcome !== to.outcome) {
        this.parts.intents.settle(key, from, to, at);
      }
      return {
        intent: { ...intent, state: next.state },
        record: this.#apply(record, next.effects, actor, at, writeAlongside),
        effects: next.effects,
      };
    });
  }

  /**
   * Starts collecting a due future payment from a saved card: the machine makes the record
   * `authorizing`, dated today, with a `collect` intent for this attempt, in one transaction.
   */
  beginCollection(
    recordId: string,
    attempt: number,
  ): { record: PaymentRecord; key: string; effects: readonly IntentEffect[] } {
    return this.#immediate("the collection", () => {
      const now = this.parts.clock.now();
      const at = now.toISOString();
      const scheduled = this.#existing(recordId);
      const begun = beginIntent("collect", scheduled, {
        attempt,
        today: studioToday(now, this.settings.timeZone),
      });
      const record = this.#apply(scheduled, begun.effects, "system", at, noOtherWrites);
      this.#open(begun.intent, record, at);
      return { record, key: begun.intent.key, effects: begun.effects };
    });
  }

  /**
   * Writes a record's next revision (a processor's answer, a collected future payment). The caller
   * decides what changes; the ledger keeps revision, outbox and audit in step.
   */
  revise(
    recordId: string,
    change: Partial<PaymentRecord>,
    actor: string | null,
    action: string,
  ): PaymentRecord {
    return this.#immediate("the record change", () =>
      this.#revise(
        this.#existing(recordId),
        { ...change, updatedAt: this.parts.clock.now().toISOString() },
        actor,
        action,
      ),
    );
  }

  account(invoiceId: string): InvoiceAccount {
    const invoice = this.parts.invoices.terms(invoiceId);
    if (!invoice) throw new KioskError(ErrorCodes.PAYMENT_INVOICE_UNKNOWN, "Unknown invoice.", { invoiceId });
    return invoiceAccount(invoice, this.parts.records.linesFor(invoiceId));
  }

  /** IMMEDIATE: the write lock is taken before the invoice and its records are read. */
  #immediate<T>(doing: string, work: () => T): T {
    return this.parts.transact(doing, work);
  }

  #open(intent: CardIntent, record: PaymentRecord, at: string): void {
    this.parts.intents.open({
      idempotencyKey: intent.key,
      recordId: intent.recordId,
      operation: intent.operation,
      amountMinor: record.amount.minor,
      currency: record.amount.currency,
      createdAt: at,
    });
  }

  /** Runs the effects that write: the record's next revision here, the rest through `writeAlongside`. */
  #apply(
    record: PaymentRecord,
    effects: readonly IntentEffect[],
    actor: string,
    at: string,
    writeAlongside: StoredEffectWriter,
  ): PaymentRecord {
    let current = record;
    for (const effect of effects) {
      if (effect.kind === "revise-record") {
        current = this.#revise(current, { ...effect.change, updatedAt: at }, actor, effect.action);
      } else if (isStoredEffect(effect)) {
        writeAlongside(effect, at);
      }
    }
    return current;
  }

  #existing(recordId: string): PaymentRecord {
    const record = this.parts.records.get(recordId);
    if (!record)
      throw new KioskError(ErrorCodes.PAYMENT_RECORD_UNKNOWN, "There is no such record.", { recordId });
    return record;
  }

  #revise(
    record: PaymentRecord,
    change: Partial<PaymentRecord>,
    actor: string | null,
    action: string,
  ): PaymentRecord {
    const next: PaymentRecord = { ...record, ...change, id: record.id, revision: record.revision + 1 };
    if (!this.parts.records.update(next, actor, action)) {
      throw new KioskError(ErrorCodes.STORE_BUSY, "The record changed meanwhile; try again.", {
        recordId: record.id,
      });
    }
    return next;
  }
}
