import { ErrorCodes } from "../../core/error-codes.js";
import { isKioskError, KioskError } from "../../core/kiosk-error.js";
import type { Logger } from "../../core/logger.js";
import type {
  CardProcessor,
  CardSource,
  Charge,
  HostedEntry,
  HostedEntryPurpose,
  HostedEntryStatus,
} from "../../payments/card-processor.js";
import type { Money } from "../../payments/money.js";
import type { PaymentDraftInput } from "../../payments/payment-draft.js";
import type { PaymentRecord } from "../../payments/payment-record.js";
import type { Channel } from "../../payments/rules/rule-context.js";
import type { OfflinePolicy } from "../../processors/config.js";
import { isDecline } from "../../processors/gateway/gateway-errors.js";
import { intentKey } from "../../store/intent-book.js";
import type { CheckoutTables } from "../checkout-tables.js";
import type { StaffActor } from "../ledger.js";
import type { CardCollection } from "./card-collection.js";
import type { ChargeOutcome } from "./charge-outcome.js";
import { checkOfflineAcceptance } from "./offline-policy.js";
import type { ProcessorAvailability } from "./processor-availability.js";
import { approvedChange, declinedChange } from "./settle-charge.js";

export interface ChargerDeps {
  readonly store: Pick<CheckoutTables, "ledger" | "records" | "intents" | "offlineCards" | "savedCards">;
  readonly collection: CardCollection;
  readonly processor: CardProcessor;
  readonly availability: ProcessorAvailability;
  readonly offline: OfflinePolicy | null;
  readonly logger: Logger;
}

/** The masked number and entry mode a card source gives the record before the processor answers. */
function sourceFields(source: CardSource): { entryMode: "swiped" | "keyed"; maskedPan: string | null } {
  switch (source.kind) {
    case "swiped":
      return { entryMode: "swiped", maskedPan: source.card.masked };
    case "encrypted":
      return { entryMode: "swiped", maskedPan: source.payload.maskedPan };
    case "hosted":
    case "token":
      return { entryMode: "keyed", maskedPan: null };
  }
}

/**
 * Takes card payments and refunds through the processor without ever charging twice: the record
 * and its intent (with the idempotency key) are on disk before the processor is called, and the
 * answer is written with them after. A swiped card's number is wiped whatever happens.
 */
export class CardCharger {
  readonly #inFlight = new Set<Promise<unknown>>();

  constructor(private readonly deps: ChargerDeps) {}

  /** Sales, refunds and voids under way; shutdown waits for them before the store closes. */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  /** Resolves once every sale, refund and void under way has its answer written (or failed). */
  async whenIdle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  pay(draft: PaymentDraftInput, channel: Channel, source: CardSource): Promise<ChargeOutcome> {
    return this.#track(this.#pay(draft, channel, source));
  }

  refund(draft: PaymentDraftInput, staff: StaffActor): Promise<ChargeOutcome> {
    return this.#track(this.#refund(draft, staff));
  }

  void(recordId: string, staff: StaffActor): Promise<PaymentRecord> {
    return this.#track(this.#void(recordId, staff));
  }

  #track<T>(work: Promise<T>): Promise<T> {
    this.#inFlight.add(work);
    const forget = (): void => {
      this.#inFlight.delete(work);
    };
    work.then(forget, forget);
    return work;
  }

  async #pay(draft: PaymentDraftInput, channel: Channel, source: CardSource): Promise<ChargeOutcome> {
    try {
      const { store, availability } = this.deps;
      if (draft.methodFields.type !== "card") {
        throw new KioskError(ErrorCodes.PAYMENT_METHOD_FIELDS_MISMATCH, "A card payment needs card details.");
      }
      const amount = { minor: draft.amountMinor, currency: draft.currency };
      if (!availability.online) {
        // Known offline: store it (if the policy allows) without waiting for another timeout.
        checkOfflineAcceptance(this.deps.offline, source, amount, store.offlineCards.storedTotal());
      }
      const record = store.ledger.record(
        { ...draft, methodFields: { ...draft.methodFields, ...sourceFields(source) } },
        channel,
      );
      const key = intentKey("sale", record.id);
      if (!availability.online) {
        return this.#offlineOrRefuse(
          record,
          key,
          new KioskError(ErrorCodes.PROCESSOR_UNAVAILABLE, "The card processor is offline."),
          source,
        );
      }
      try {
        const charge = await this.deps.processor.sale({
          idempotencyKey: key,
          amount,
          source,
          reference: { recordId: record.id, deviceId: record.deviceId },
        });
        availability.markReachable();
        return this.#approved(record, key, charge);
      } catch (error) {
        return await this.#failed(record, key, error, source);
      }
    } finally {
      if (source.kind === "swiped") source.card.wipe();
    }
  }

  /**
   * Opens the processor's hosted page for staff to key a card (the kiosk never sees the number),
   * cancelling any card collection still waiting. Pay with `{ kind: "hosted", sessionId }` once
   * `keyedEntryStatus` says it is completed.
   */
  async startKeyedEntry(
    purpose: HostedEntryPurpose,
    amount: Money | null,
  ): Promise<HostedEntry & { collection: number }> {
    const { processor, collection } = this.deps;
    await collection.cancel();
    const entry = await processor.startHostedEntry({ purpose, amount });
    const id = await collection.begin(() => processor.cancelHostedEntry(entry.sessionId));
    return { ...entry, collection: id };
  }

  async keyedEntryStatus(sessionId: string, collection: number): Promise<HostedEntryStatus> {
    const status = await this.deps.processor.hostedEntryStatus(sessionId);
    if (status.state !== "open") this.deps.collection.finish(collection);
    return status;
  }

  /** A refund: cash and manual ones are complete at once; a processor charge is refunded through it. */
  async #refund(draft: PaymentDraftInput, staff: StaffActor): Promise<ChargeOutcome> {
    const { store, processor } = this.deps;
    const record = store.ledger.record(draft, { kind: "staff", staffId: staff.id });
    if (record.status !== "authorizing") return { kind: "approved", record };
    const original = record.refundOf ? store.records.get(record.refundOf) : null;
    const chargeId = original?.method.type === "card" ? original.method.processorReference : null;
    const key = intentKey("refund", record.id);
    try {
      if (!chargeId)
        throw new KioskError(ErrorCodes.REFUND_ORIGINAL_INVALID, "The original charge is unknown.");
      const refund = await processor.refund({
        idempotencyKey: key,
        chargeId,
        amount: record.amount,
        reference: { recordId: record.id, deviceId: record.deviceId },
      });
      return {
        kind: "approved",
        record: this.#settle(record, key, "done", "approved", this.#refundedChange(record, refund.refundId)),
      };
    } catch (error) {
      const coded = asKioskError(error);
      if (
        coded.code === ErrorCodes.PROCESSOR_OUTCOME_UNKNOWN ||
        coded.code === ErrorCodes.PROCESSOR_IDEMPOTENCY_CONFLICT
      ) {
        const found = await processor.lookupRefund(key).catch(() => undefined);
        if (found) {
          return {
            kind: "approved",
            record: this.#settle(
              record,
              key,
              "done",
              "approved",
              this.#refundedChange(record, found.refundId),
            ),
          };
        }
        if (found === undefined) return { kind: "unknown", record, reason: coded };
      }
      return {
        kind: "declined",
        record: this.#settle(record, key, "failed", coded.code, declinedChange(coded.code)),
        reason: coded,
      };
    }
  }

  /** A manager voids a record; a processor charge is voided at the processor too. */
  async #void(recordId: string, staff: StaffActor): Promise<PaymentRecord> {
    const { store, processor, logger } = this.deps;
    const record = store.ledger.void(recordId, staff);
    const key = intentKey("void", recordId);
    const intent = store.intents.get(key);
    const chargeId = record.method.type === "card" ? record.method.processorReference : null;
    if (intent?.state === "open" && chargeId) {
      try {
        await processor.void({ idempotencyKey: key, chargeId });
        store.ledger.settle({ key, state: "done", outcome: "voided" }, null, staff.id, "record.void-sent");
      } catch (error) {
        // The void stays open: the reconciler sends it again with the same key.
        logger.warn(`void of ${recordId} not confirmed by the processor: ${asKioskError(error).code}`);
      }
    }
    return record;
  }

  #refundedChange(record: PaymentRecord, refundId: string): Partial<PaymentRecord> {
    return record.method.type === "card"
      ? { status: "completed", method: { ...record.method, processorReference: refundId } }
      : { status: "completed" };
  }

  #approved(record: PaymentRecord, key: string, charge: Charge): ChargeOutcome {
    const { store } = this.deps;
    const settled = store.ledger.settle(
      { key, state: "done", outcome: "approved" },
      approvedChange(record, charge),
      record.staffId ?? "client",
      "record.authorized",
      (at) => {
        if (charge.token && record.method.type === "card") {
          store.savedCards.save(
            record.clientId,
            {
              token: charge.token,
              brand: charge.card.brand,
              last4: charge.card.last4,
              expiry: charge.card.expiry,
            },
            at,
          );
        }
      },
    );
    return { kind: "approved", record: settled ?? record };
  }

  #settle(
    record: PaymentRecord,
    key: string,
    state: "done" | "failed",
    outcome: string,
    change: Partial<PaymentRecord>,
  ): PaymentRecord {
    const action = state === "done" ? "record.authorized" : "record.declined";
    return (
      this.deps.store.ledger.settle({ key, state, outcome }, change, record.staffId ?? "client", action) ??
      record
    );
  }

  async #failed(
    record: PaymentRecord,
    key: string,
    error: unknown,
    source: CardSource,
  ): Promise<ChargeOutcome> {
    const { processor, availability, logger } = this.deps;
    const coded = asKioskError(error);
    if (isDecline(coded) || coded.code === ErrorCodes.PROCESSOR_REJECTED_REQUEST) {
      availability.markReachable();
      return {
        kind: "declined",
        record: this.#settle(record, key, "failed", coded.code, declinedChange(coded.code)),
        reason: coded,
      };
    }
    if (coded.code === ErrorCodes.PROCESSOR_UNAVAILABLE) {
      availability.markUnreachable();
      return this.#offlineOrRefuse(record, key, coded, source);
    }
    // The processor may have charged: ask it by the same key before saying anything.
    const found = await processor.lookup(key).catch((lookupError: unknown) => {
      logger.warn(`lookup of ${key} failed: ${asKioskError(lookupError).code}`);
      return undefined;
    });
    if (found) return this.#approved(record, key, found);
    if (found === null) {
      const code = ErrorCodes.PROCESSOR_UNAVAILABLE;
      return {
        kind: "declined",
        record: this.#settle(record, key, "failed", code, declinedChange(code)),
        reason: new KioskError(
          ErrorCodes.PROCESSOR_UNAVAILABLE,
          "The card was not charged: the card processor had a problem. Please try again.",
        ),
      };
    }
    // Still unknown: the intent stays open for the reconciler; the screen must not say "paid".
    return { kind: "unknown", record, reason: coded };
  }

  #offlineOrRefuse(
    record: PaymentRecord,
    key: string,
    reason: KioskError,
    source: CardSource,
  ): ChargeOutcome {
    const { store } = this.deps;
    try {
      checkOfflineAcceptance(this.deps.offline, source, record.amount, store.offlineCards.storedTotal());
    } catch (refusal) {
      return {
        kind: "declined",
        record: this.#settle(record, key, "failed", reason.code, declinedChange(reason.code)),
        reason: asKioskError(refusal),
      };
    }
    if (source.kind !== "encrypted") throw reason; // checkOfflineAcceptance allows only encrypted sources
    const pending = store.ledger.settle(
      { key, state: "deferred", outcome: null },
      { status: "pending" },
      record.staffId ?? "client",
      "record.stored-offline",
      (at) => store.offlineCards.put(record.id, source.payload, record.amount.minor, at),
    );
    return { kind: "stored-offline", record: pending ?? record };
  }
}

export function asKioskError(error: unknown): KioskError {
  if (isKioskError(error)) return error;
  return new KioskError(
    ErrorCodes.PROCESSOR_OUTCOME_UNKNOWN,
    "The card processor call failed unexpectedly.",
    {},
    { cause: error },
  );
}
