import { ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";
import type { Logger } from "../../core/logger.js";
import { OPEN } from "../../payments/card-intent/card-intent.js";
import type { IntentEvent } from "../../payments/card-intent/intent-events.js";
import type { BegunIntent } from "../../payments/card-intent/intent-machine.js";
import type {
  CardProcessor,
  CardSource,
  HostedEntry,
  HostedEntryPurpose,
  HostedEntryStatus,
} from "../../payments/card-processor.js";
import type { Money } from "../../payments/money.js";
import type { PaymentDraftInput } from "../../payments/payment-draft.js";
import type { PaymentRecord } from "../../payments/payment-record.js";
import type { Channel } from "../../payments/rules/rule-context.js";
import type { OfflinePolicy } from "../../processors/config.js";
import type { CardConsent } from "../../store/saved-card-book.js";
import type { CheckoutTables } from "../checkout-tables.js";
import type { StaffActor } from "../ledger.js";
import type { CardCollection } from "./card-collection.js";
import type { ChargeOutcome } from "./charge-outcome.js";
import { type IntentHands, type IntentRun, runIntent } from "./intent-runner.js";
import { settleKeyedEntry } from "./keyed-card-cleanup.js";
import { checkOfflineAcceptance } from "./offline-policy.js";
import { asKioskError, chargeFailure, lookUpByKey, refundFailure } from "./processor-answers.js";
import type { ProcessorAvailability } from "./processor-availability.js";

export interface ChargerDeps {
  readonly store: Pick<
    CheckoutTables,
    "ledger" | "records" | "intents" | "offlineCards" | "savedCards" | "keyedEntries"
  >;
  readonly collection: CardCollection;
  readonly processor: CardProcessor;
  readonly availability: ProcessorAvailability;
  readonly offline: OfflinePolicy | null;
  readonly logger: Logger;
  /**
   * Refunds to a card above this (minor units) are refused here: a manager issues them from central,
   * which holds the processor's full keys (a stolen kiosk cannot move money out). Null: no limit.
   */
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
    // Typed by the client on the processor's page, on their phone.
    case "pay-link":
      return { entryMode: "keyed", maskedPan: null };
    // Chip, tap or swipe on a smart reader: the card was present; its number stays in the reader.
    case "reader":
      return { entryMode: "swiped", maskedPan: null };
  }
}

/**
 * Takes card payments and refunds through the processor without ever charging twice: the record
 * and its intent (with the idempotency key) are on disk before the processor is called, and each
 * answer is settled through the card-intent machine with them after. A swiped card's number is
 * wiped whatever happens.
 */
export class CardCharger {
  readonly #inFlight = new Set<Promise<unknown>>();
  readonly #busy = new Set<string>();
  /** Keyed entries opened to save a card (purpose "save"), until their form completes or closes. */
  readonly #savingEntries = new Set<string>();

  constructor(private readonly deps: ChargerDeps) {}

  /** Whether this charger is running the intent with this key (so the reconciler must not). */
  isRunning(key: string): boolean {
    return this.#busy.has(key);
  }

  /** Sales, refunds and voids under way; shutdown waits for them before the store closes. */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  /** Resolves once every sale, refund and void under way has its answer written (or failed). */
  async whenIdle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  /**
   * A card payment. `saveCard`: the client (or staff, with the client there) ticked "Save this card
   * for future payments" — only then does the processor keep the card, and the consent (who, when)
   * is kept with it.
   */
  pay(
    draft: PaymentDraftInput,
    channel: Channel,
    source: CardSource,
    options: { saveCard?: boolean } = {},
  ): Promise<ChargeOutcome> {
    return this.#track(this.#pay(draft, channel, source, options.saveCard === true));
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

  async #pay(
    draft: PaymentDraftInput,
    channel: Channel,
    source: CardSource,
    saveCard: boolean,
  ): Promise<ChargeOutcome> {
    let keyedSession: string | null = null;
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
      const { record, begun } = store.ledger.recordWithIntent(
        { ...draft, methodFields: { ...draft.methodFields, ...sourceFields(source) } },
        channel,
      );
      // Without an intent the processor has nothing to do: the rules completed it (a manual card).
      if (!begun) return { kind: "approved", record };
      const key = begun.intent.key;
      const screen = new ScreenReason();
      const consent: CardConsent | null = saveCard
        ? { by: channel.kind === "staff" ? channel.staffId : "client", at: record.createdAt }
        : null;
      if (source.kind === "hosted") {
        // On disk before the processor is called: the keyed card is deleted once the outcome is known.
        store.keyedEntries.charging(source.sessionId, key, consent !== null);
        keyedSession = source.sessionId;
      }
      const run = await this.#run(key, record, begun.effects, record.staffId ?? "client", {
        call: () => this.#sale(record, key, source, screen, consent !== null),
        lookUp: async () => {
          const event = await lookUpByKey(this.deps.processor, "charge", key, "payment", (coded) =>
            this.deps.logger.warn(`lookup of ${key} failed: ${coded.code}`),
          );
          if (event.type === "found-nothing") screen.set(NOT_CHARGED());
          return event;
        },
        writeAlongside: (effect, at) => {
          // A keyed card is the client's saved card only with their consent (a look-up names its profile).
          const keep = source.kind !== "hosted" || consent !== null;
          if (effect.kind === "save-card" && keep)
            store.savedCards.save(effect.clientId, effect.card, at, consent);
          if (effect.kind === "store-offline" && source.kind === "encrypted") {
            store.offlineCards.put(effect.recordId, source.payload, effect.amountMinor, at);
          }
        },
        wipeCard: () => {
          if (source.kind === "swiped") {
            source.card.wipe();
            source.tracks?.wipe();
          }
        },
        askPerson: () => {},
      });
      return screen.outcome(run);
    } finally {
      if (source.kind === "swiped") {
        source.card.wipe();
        source.tracks?.wipe();
      }
      // After the screen has its answer: keep the keyed card (approved, with consent) or delete it.
      if (keyedSession !== null) void this.#track(this.#settleKeyed(keyedSession));
    }
  }

  /** Settles a keyed entry's card once its payment is over or the entry ended; never throws. */
  async #settleKeyed(sessionId: string): Promise<void> {
    const entry = this.deps.store.keyedEntries.get(sessionId);
    if (!entry) return;
    await settleKeyedEntry(
      {
        store: this.deps.store,
        processor: this.deps.processor,
        logger: this.deps.logger,
        running: (key) => this.isRunning(key),
      },
      entry,
    );
  }

  /** The keyed entry will not be charged (cancelled, closed, replaced): its card is deleted. */
  async #discardKeyed(sessionId: string): Promise<void> {
    try {
      this.deps.store.keyedEntries.abandoned(sessionId);
    } catch (error) {
      this.deps.logger.warn(`keyed entry ${sessionId} not marked for deletion: ${asKioskError(error).code}`);
    }
    await this.#settleKeyed(sessionId);
  }

  /** The sale call of a payment's intent, its answer (or failure) said as an event. */
  async #sale(
    record: PaymentRecord,
    key: string,
    source: CardSource,
    screen: ScreenReason,
    saveCard: boolean,
  ): Promise<IntentEvent> {
    const { availability, processor } = this.deps;
    if (!availability.online) {
      return this.#unreachable(
        record,
        source,
        screen,
        new KioskError(ErrorCodes.PROCESSOR_UNAVAILABLE, "The card processor is offline."),
      );
    }
    try {
      const charge = await processor.sale({
        idempotencyKey: key,
        amount: record.amount,
        source,
        reference: { recordId: record.id, deviceId: record.deviceId },
        ...(saveCard ? { saveCardFor: { clientId: record.clientId } } : {}),
      });
      availability.markReachable();
      return { type: "charged", charge, during: "payment" };
    } catch (error) {
      const coded = asKioskError(error);
      const event = chargeFailure(coded);
      screen.set(coded);
      if (event.type === "declined") availability.markReachable();
      if (event.type !== "unreachable") return event;
      availability.markUnreachable();
      return this.#unreachable(record, source, screen, coded);
    }
  }

  /** Nothing was charged and the processor is away: store the card to forward, if the policy lets it. */
  #unreachable(
    record: PaymentRecord,
    source: CardSource,
    screen: ScreenReason,
    reason: KioskError,
  ): IntentEvent {
    try {
      checkOfflineAcceptance(
        this.deps.offline,
        source,
        record.amount,
        this.deps.store.offlineCards.storedTotal(),
      );
    } catch (refusal) {
      screen.set(asKioskError(refusal));
      return { type: "unreachable", storeOffline: false };
    }
    if (source.kind !== "encrypted") throw reason; // checkOfflineAcceptance allows only encrypted sources
    return { type: "unreachable", storeOffline: true };
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
    // Whatever the form stores is deleted unless a payment with the client's consent keeps it, or
    // the form was opened to save the card (kept once the form completes).
    this.deps.store.keyedEntries.opened(entry.sessionId);
    if (purpose === "save") this.#savingEntries.add(entry.sessionId);
    const id = await collection.begin(() => this.#track(this.#discardKeyed(entry.sessionId)));
    return { ...entry, collection: id };
  }

  async keyedEntryStatus(sessionId: string, collection: number): Promise<HostedEntryStatus> {
    const status = await this.deps.processor.hostedEntryStatus(sessionId);
    if (status.state !== "open") this.deps.collection.finish(collection);
    if (status.state !== "open" && this.#savingEntries.delete(sessionId) && status.state === "completed")
      this.deps.store.keyedEntries.kept(sessionId);
    if (status.state === "cancelled" || status.state === "expired")
      void this.#track(this.#discardKeyed(sessionId));
    return status;
  }

  /** Staff left the keyed entry: the form is closed and whatever it stored deleted. Never fails. */
  async cancelKeyedEntry(sessionId: string, collection: number): Promise<void> {
    this.deps.collection.finish(collection);
    await this.#track(this.#discardKeyed(sessionId));
  }

  /** A refund: cash and manual ones are complete at once; a processor charge is refunded through it. */
  async #refund(draft: PaymentDraftInput, staff: StaffActor): Promise<ChargeOutcome> {
    const { store, processor } = this.deps;
    const { record, begun } = store.ledger.recordWithIntent(draft, { kind: "staff", staffId: staff.id });
    if (!begun) return { kind: "approved", record };
    const original = record.refundOf ? store.records.get(record.refundOf) : null;
    const chargeId = original?.method.type === "card" ? original.method.processorReference : null;
    const key = begun.intent.key;
    const screen = new ScreenReason();
    const run = await this.#run(key, record, begun.effects, record.staffId ?? "client", {
      call: async () => {
        try {
          if (!chargeId)
            throw new KioskError(ErrorCodes.REFUND_ORIGINAL_INVALID, "The original charge is unknown.");
          const refund = await processor.refund({
            idempotencyKey: key,
            chargeId,
            amount: record.amount,
            reference: { recordId: record.id, deviceId: record.deviceId },
          });
          return { type: "refunded", refund, during: "payment" };
        } catch (error) {
          const coded = asKioskError(error);
          screen.set(coded);
          return refundFailure(coded);
        }
      },
      lookUp: () => lookUpByKey(processor, "refund", key, "payment", () => {}),
      askPerson: () => {},
    });
    return screen.outcome(run);
  }

  /** A manager voids a record; a processor charge is voided at the processor too. */
  async #void(recordId: string, staff: StaffActor): Promise<PaymentRecord> {
    const { store, processor, logger } = this.deps;
    const { record, begun } = store.ledger.voidWithIntent(recordId, staff);
    const chargeId = record.method.type === "card" ? record.method.processorReference : null;
    if (!begun || !chargeId) return record;
    const key = begun.intent.key;
    await this.#run(key, record, begun.effects, staff.id, {
      call: async () => {
        try {
          await processor.void({ idempotencyKey: key, chargeId });
          return { type: "void-accepted", during: "payment" };
        } catch (error) {
          return chargeFailure(asKioskError(error));
        }
      },
      lookUp: () => lookUpByKey(processor, "charge", key, "payment", () => {}),
      // The void stays open: the reconciler sends it again with the same key.
      askPerson: (_why, code) => logger.warn(`void of ${recordId} not confirmed by the processor: ${code}`),
    });
    return record;
  }

  /** Runs an intent this charger opened; the reconciler leaves it alone meanwhile. */
  async #run(
    key: string,
    record: PaymentRecord,
    effects: BegunIntent["effects"],
    actor: string,
    hands: IntentHands,
  ): Promise<IntentRun> {
    this.#busy.add(key);
    try {
      return await runIntent(this.deps.store.ledger, { key, record, state: OPEN, effects }, actor, hands);
    } finally {
      this.#busy.delete(key);
    }
  }
}

/**
 * The reason the screen shows for a payment that did not go through, kept as the intent runs: the
 * processor's own error, an offline refusal, or "not charged" when a look-up found nothing.
 */
class ScreenReason {
  #reason: KioskError | null = null;

  set(reason: KioskError): void {
    this.#reason = reason;
  }

  outcome(run: IntentRun): ChargeOutcome {
    const reason =
      this.#reason ??
      new KioskError(ErrorCodes.PROCESSOR_OUTCOME_UNKNOWN, "The card processor did not answer.");
    switch (run.state.phase) {
      case "done":
        return { kind: "approved", record: run.record };
      case "deferred":
        return { kind: "stored-offline", record: run.record };
      case "open":
        return { kind: "unknown", record: run.record, reason };
      case "failed":
        return { kind: "declined", record: run.record, reason };
    }
  }
}

const NOT_CHARGED = (): KioskError =>
  new KioskError(
    ErrorCodes.PROCESSOR_UNAVAILABLE,
    "The card was not charged: the card processor had a problem. Please try again.",
  );
