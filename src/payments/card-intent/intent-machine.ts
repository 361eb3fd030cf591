import { ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";
import type { Charge } from "../card-processor.js";
import type { PaymentRecord } from "../payment-record.js";
import {
  type CardIntent,
  DEFERRED,
  DONE,
  failureCode,
  type IntentFailure,
  type IntentOperation,
  type IntentState,
  intentKey,
  OPEN,
} from "./card-intent.js";
import type { AnswerMoment, IntentEffect, IntentEvent, RecordAction } from "./intent-events.js";
import { approvedChange, backToScheduled, declinedChange, refundedChange } from "./record-changes.js";

/** The next state and what to do for it, as the screen flows return them. */
export interface IntentTransition {
  readonly state: IntentState;
  readonly effects: readonly IntentEffect[];
}

/** A new intent, ready to be written with the record change (if any) that goes with it. */
export interface BegunIntent {
  readonly intent: CardIntent;
  readonly effects: readonly IntentEffect[];
}

type Effect = IntentEffect;
const go = (state: IntentState, ...effects: (Effect | null)[]): IntentTransition => ({
  state,
  effects: effects.filter((effect): effect is Effect => effect !== null),
});
const revise = (change: Partial<PaymentRecord>, action: RecordAction): Effect => ({
  kind: "revise-record",
  change,
  action,
});
const askPerson = (
  why: Extract<Effect, { kind: "ask-person" }>["why"],
  code: string | null = null,
): Effect => ({
  kind: "ask-person",
  why,
  code,
});
const failed = (failure: IntentFailure): IntentState => ({ phase: "failed", failure });
const WIPE_CARD: Effect = { kind: "wipe-card" };
const byMoment = (during: AnswerMoment, atPayment: RecordAction): RecordAction =>
  during === "payment" ? atPayment : "record.reconciled";

/** Whether the processor holds a charge for this record, which a void must then cancel there too. */
export function heldByProcessor(record: PaymentRecord): boolean {
  return record.method.type === "card" && record.method.processorReference !== null;
}

function refused(intent: Pick<CardIntent, "key" | "operation">, phase: string, event: string): KioskError {
  return new KioskError(
    ErrorCodes.CARD_INTENT_EVENT_REFUSED,
    `A ${phase} ${intent.operation} intent cannot take "${event}": nothing was changed. Its record needs a look from staff if this repeats.`,
    { key: intent.key, operation: intent.operation, phase, event },
  );
}

/**
 * Opens an intent for a record that is about to go to the processor, and says what to do first.
 * Sales and refunds open with their record (taken as `authorizing` by the rules); a void opens once
 * its record is voided; a collection turns a scheduled card payment into an authorizing one, dated
 * `today` (time arrives as an argument).
 */
export function beginIntent(
  operation: IntentOperation,
  record: PaymentRecord,
  context: { readonly attempt?: number; readonly today?: string } = {},
): BegunIntent {
  const intent = (attempt?: number): CardIntent => ({
    key: intentKey(operation, record.id, attempt),
    operation,
    recordId: record.id,
    attempt: attempt ?? null,
    state: OPEN,
  });
  const refuse = (): never => {
    throw refused({ key: intentKey(operation, record.id, context.attempt), operation }, "new", "begin");
  };
  switch (operation) {
    case "sale":
    case "refund":
      if (record.kind !== (operation === "sale" ? "payment" : "refund") || record.status !== "authorizing")
        return refuse();
      return { intent: intent(), effects: [{ kind: "call-processor", call: operation }] };
    case "void":
      if (record.status !== "voided" || !heldByProcessor(record)) return refuse();
      return { intent: intent(), effects: [{ kind: "call-processor", call: "void" }] };
    case "collect": {
      if (record.status !== "scheduled" || record.method.type !== "card") {
        throw new KioskError(
          ErrorCodes.PAYMENT_NOT_COLLECTABLE,
          `A ${record.status} record is not waiting to be collected.`,
          { recordId: record.id },
        );
      }
      if (context.attempt === undefined || context.today === undefined) return refuse();
      return {
        intent: intent(context.attempt),
        effects: [
          revise({ status: "authorizing", paymentDate: context.today }, "record.collecting"),
          { kind: "call-processor", call: "charge-saved-card" },
        ],
      };
    }
  }
}

/**
 * The card-intent machine: an intent's state and an event in, the next state and its effects out.
 * `record` is the intent's record as it stands, for the change an answer makes to it. Pure: the
 * caller writes the state and runs the effects. An event the state does not take throws
 * CARD_INTENT_EVENT_REFUSED; done and failed intents take none.
 */
export function intentTransition(
  intent: CardIntent,
  record: PaymentRecord,
  event: IntentEvent,
): IntentTransition {
  const refuse = (): never => {
    throw refused(intent, intent.state.phase, event.type);
  };
  switch (intent.state.phase) {
    case "open":
      switch (intent.operation) {
        case "sale":
          return openSale(record, event) ?? refuse();
        case "collect":
          return openCollection(intent, record, event) ?? refuse();
        case "refund":
          return openRefund(record, event) ?? refuse();
        case "void":
          return openVoid(event) ?? refuse();
      }
      return refuse();
    case "deferred":
      return intent.operation === "sale" ? (deferredSale(record, event) ?? refuse()) : refuse();
    case "done":
    case "failed":
      return refuse();
  }
}

function saveCardOf(record: PaymentRecord, charge: Charge): Effect | null {
  if (!charge.token || record.method.type !== "card") return null;
  return {
    kind: "save-card",
    clientId: record.clientId,
    card: {
      token: charge.token,
      brand: charge.card.brand,
      last4: charge.card.last4,
      expiry: charge.card.expiry,
    },
  };
}

function declinedSale(failure: IntentFailure, action: RecordAction, ...effects: Effect[]): IntentTransition {
  return go(failed(failure), revise(declinedChange(failureCode(failure)), action), ...effects);
}

/** A sale waiting for the processor's answer. */
function openSale(record: PaymentRecord, event: IntentEvent): IntentTransition | null {
  switch (event.type) {
    case "charged":
      return go(
        DONE,
        revise(approvedChange(record, event.charge), byMoment(event.during, "record.authorized")),
        saveCardOf(record, event.charge),
        event.during === "payment" ? WIPE_CARD : null,
      );
    case "declined":
      return declinedSale({ reason: "declined", code: event.code }, "record.declined", WIPE_CARD);
    case "unreachable":
      if (!event.storeOffline) return declinedSale({ reason: "not-made" }, "record.declined", WIPE_CARD);
      return go(
        DEFERRED,
        revise({ status: "pending" }, "record.stored-offline"),
        { kind: "store-offline", recordId: record.id, amountMinor: record.amount.minor },
        WIPE_CARD,
      );
    case "answer-lost":
      return go(OPEN, WIPE_CARD, { kind: "look-up", what: "charge" });
    case "found-nothing":
      return event.during === "payment"
        ? declinedSale({ reason: "not-made" }, "record.declined")
        : declinedSale({ reason: "interrupted" }, "record.reconciled");
    case "look-up-failed":
      return go(OPEN, askPerson("outcome-unknown"));
    case "reconcile":
      return go(OPEN, { kind: "look-up", what: "charge" });
    default:
      return null;
  }
}

/** A try at charging a due future payment to the client's saved card. */
function openCollection(
  intent: CardIntent,
  record: PaymentRecord,
  event: IntentEvent,
): IntentTransition | null {
  const attempt = (outcome: string): Effect | null =>
    intent.attempt === null
      ? null
      : { kind: "note-attempt", recordId: record.id, attempt: intent.attempt, outcome };
  const tryFailed = (failure: IntentFailure, action: RecordAction): IntentTransition => {
    const code = failureCode(failure);
    return go(
      failed(failure),
      revise(backToScheduled, action),
      attempt(code),
      action === "record.collection-failed" ? askPerson("collection-failed", code) : null,
    );
  };
  switch (event.type) {
    case "charged":
      return go(
        DONE,
        revise(approvedChange(record, event.charge), byMoment(event.during, "record.collected")),
        attempt("approved"),
      );
    case "declined":
      return tryFailed({ reason: "declined", code: event.code }, "record.collection-failed");
    case "unreachable":
      return event.storeOffline ? null : tryFailed({ reason: "not-made" }, "record.collection-failed");
    case "answer-lost":
      // Left open: the reconciler looks the key up in the next round.
      return go(OPEN, askPerson("outcome-unknown"));
    case "found-nothing":
      return event.during === "payment"
        ? tryFailed({ reason: "not-made" }, "record.collection-failed")
        : tryFailed({ reason: "interrupted" }, "record.reconciled");
    case "look-up-failed":
      return go(OPEN, askPerson("outcome-unknown"));
    case "reconcile":
      return go(OPEN, { kind: "look-up", what: "charge" });
    default:
      return null;
  }
}

/** A refund back to the original charge. */
function openRefund(record: PaymentRecord, event: IntentEvent): IntentTransition | null {
  switch (event.type) {
    case "refunded":
      return go(
        DONE,
        revise(refundedChange(record, event.refund), byMoment(event.during, "record.authorized")),
      );
    case "declined":
      return declinedSale({ reason: "declined", code: event.code }, "record.declined");
    case "unreachable":
      return event.storeOffline ? null : declinedSale({ reason: "not-made" }, "record.declined");
    case "answer-lost":
      return go(OPEN, { kind: "look-up", what: "refund" });
    case "found-nothing":
      return event.during === "payment"
        ? declinedSale({ reason: "not-made" }, "record.declined")
        : declinedSale({ reason: "interrupted" }, "record.reconciled");
    case "look-up-failed":
      return go(OPEN, askPerson("outcome-unknown"));
    case "reconcile":
      return go(OPEN, { kind: "look-up", what: "refund" });
    default:
      return null;
  }
}

/** A void of a charge the processor holds; the record is voided already. Voids are resent until confirmed. */
function openVoid(event: IntentEvent): IntentTransition | null {
  switch (event.type) {
    case "void-accepted":
      return go(DONE);
    case "declined":
      return go(OPEN, askPerson("void-unconfirmed", event.code));
    case "unreachable":
      return event.storeOffline
        ? null
        : go(OPEN, askPerson("void-unconfirmed", ErrorCodes.PROCESSOR_UNAVAILABLE));
    case "answer-lost":
      return go(OPEN, askPerson("void-unconfirmed", ErrorCodes.PROCESSOR_OUTCOME_UNKNOWN));
    case "reconcile":
      return go(OPEN, { kind: "call-processor", call: "void" });
    default:
      return null;
  }
}

/** A sale stored offline: forwarded with its own key once the processor answers again. */
function deferredSale(record: PaymentRecord, event: IntentEvent): IntentTransition | null {
  const forwarded = (outcome: string): Effect => ({ kind: "wipe-stored-card", recordId: record.id, outcome });
  switch (event.type) {
    case "forward": {
      const ageHours = (Date.parse(event.now) - Date.parse(event.storedAt)) / 3_600_000;
      if (!(ageHours > event.maxAgeHours))
        return go(DEFERRED, { kind: "call-processor", call: "forward-stored-sale" });
      const code = ErrorCodes.CARD_OFFLINE_EXPIRED;
      return declinedSale(
        { reason: "expired" },
        "record.forwarded",
        forwarded(code),
        askPerson("offline-expired", code),
      );
    }
    case "charged":
      return go(
        DONE,
        revise(approvedChange(record, event.charge), "record.forwarded"),
        forwarded("approved"),
      );
    case "declined":
      return declinedSale(
        { reason: "declined", code: event.code },
        "record.forwarded",
        forwarded(event.code),
        askPerson("declined-after-offline", event.code),
      );
    case "unreachable":
    case "answer-lost":
      // Still waiting: the same key goes again next round, so a charge made meanwhile is not repeated.
      return go(DEFERRED);
    default:
      return null;
  }
}
