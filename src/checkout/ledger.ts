import type { Clock } from "../core/clock.js";
import { ErrorCodes } from "../core/error-codes.js";
import { KioskError } from "../core/kiosk-error.js";
import type { ProcessorIntegration } from "../payments/card-processor.js";
import { type InvoiceAccount, invoiceAccount } from "../payments/invoice-account.js";
import type { PaymentMethod } from "../payments/payment-method.js";
import type { PaymentRecord } from "../payments/payment-record.js";
import { createRecord, parseDraft } from "../payments/rules/create-record.js";
import type { Channel, PaymentLimits } from "../payments/rules/rule-context.js";
import { checkVoid } from "../payments/rules/void-rules.js";
import { studioToday } from "../payments/studio-date.js";
import { type IntentBook, type IntentState, intentKey } from "../store/intent-book.js";
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

  record(input: unknown, channel: Channel): PaymentRecord {
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
      if (record.status === "authorizing") {
        // The intent is committed with the record, before anyone calls the processor.
        this.parts.intents.open({
          idempotencyKey: intentKey(record.kind === "payment" ? "sale" : "refund", record.id),
          recordId: record.id,
          operation: record.kind === "payment" ? "sale" : "refund",
          amountMinor: record.amount.minor,
          currency: record.amount.currency,
          createdAt: record.createdAt,
        });
      }
      return record;
    });
  }

  /** A manager voids a record of the current shift that nothing has refunded. */
  void(recordId: string, staff: StaffActor): PaymentRecord {
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
      if (record.method.type === "card" && record.method.processorReference !== null) {
        // The processor still holds the charge: the void to send it is an intent like any other.
        this.parts.intents.open({
          idempotencyKey: intentKey("void", record.id),
          recordId: record.id,
          operation: "void",
          amountMinor: record.amount.minor,
          currency: record.amount.currency,
          createdAt: at,
        });
      }
      return voided;
    });
  }

  /**
   * Records what the processor said about an intent: its new state and, if the record changes, the
   * record's next revision, with any other writes that belong to the answer — in one transaction.
   */
  settle(
    intent: { key: string; state: IntentState; outcome: string | null },
    recordChange: Partial<PaymentRecord> | null,
    actor: string | null,
    action: string,
    alongside?: (at: string) => void,
  ): PaymentRecord | null {
    return this.#immediate("the processor's answer", () => {
      const at = this.parts.clock.now().toISOString();
      const existing = this.parts.intents.get(intent.key);
      if (!existing) {
        throw new KioskError(ErrorCodes.PAYMENT_RECORD_UNKNOWN, "There is no such processor intent.", {
          key: intent.key,
        });
      }
      this.parts.intents.settle(intent.key, intent.state, intent.outcome, at);
      alongside?.(at);
      if (recordChange === null) return null;
      return this.#revise(
        this.#existing(existing.recordId),
        { ...recordChange, updatedAt: at },
        actor,
        action,
      );
    });
  }

  /**
   * Starts collecting a due future payment from a saved card: the record becomes `authorizing`,
   * dated today, with a `collect` intent for this attempt, in one transaction.
   */
  beginCollection(recordId: string, attempt: number): { record: PaymentRecord; key: string } {
    return this.#immediate("the collection", () => {
      const record = this.#existing(recordId);
      if (record.status !== "scheduled") {
        throw new KioskError(
          ErrorCodes.PAYMENT_NOT_COLLECTABLE,
          `A ${record.status} record is not waiting to be collected.`,
          {
            recordId,
          },
        );
      }
      const now = this.parts.clock.now();
      const at = now.toISOString();
      const key = intentKey("collect", record.id, attempt);
      const next = this.#revise(
        record,
        { status: "authorizing", paymentDate: studioToday(now, this.settings.timeZone), updatedAt: at },
        "system",
        "record.collecting",
      );
      this.parts.intents.open({
        idempotencyKey: key,
        recordId: record.id,
        operation: "collect",
        amountMinor: record.amount.minor,
        currency: record.amount.currency,
        createdAt: at,
      });
      return { record: next, key };
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
