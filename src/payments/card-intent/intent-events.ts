import type { Charge, RefundResult, SavedCard } from "../card-processor.js";
import type { PaymentRecord } from "../payment-record.js";

/** Whether an answer came back to the call that asked, or to a reconciliation after a restart. */
export type AnswerMoment = "payment" | "reconciliation";

/**
 * What can happen to an intent. Processor answers and look-ups arrive as events; so does time (a
 * forward carries the clock), so the machine reads nothing itself.
 */
export type IntentEvent =
  /** The processor made the charge: its answer, or a look-up by the key. */
  | { readonly type: "charged"; readonly charge: Charge; readonly during: AnswerMoment }
  | { readonly type: "refunded"; readonly refund: RefundResult; readonly during: AnswerMoment }
  | { readonly type: "void-accepted"; readonly during: AnswerMoment }
  /** The issuer or the processor said no; nothing was made. */
  | { readonly type: "declined"; readonly code: string }
  /**
   * The processor could not be reached or failed before doing anything. A sale whose card the
   * offline policy accepts is stored to forward later (the runner asks the policy).
   */
  | { readonly type: "unreachable"; readonly storeOffline: boolean }
  /** The call may or may not have reached the processor (timeout, connection cut, 5xx). */
  | { readonly type: "answer-lost" }
  /** A look-up by the key found nothing: the processor never made it. */
  | { readonly type: "found-nothing"; readonly during: AnswerMoment }
  /** The look-up failed as well: still unknown. */
  | { readonly type: "look-up-failed" }
  /** After a restart (or in the background round): settle an intent an earlier call left open. */
  | { readonly type: "reconcile" }
  /** The background round would forward a sale stored offline, now. */
  | {
      readonly type: "forward";
      readonly now: string;
      readonly storedAt: string;
      readonly maxAgeHours: number;
    };

/** The audit log's word for a record change, so the history says why the record moved. */
export type RecordAction =
  | "record.authorized"
  | "record.declined"
  | "record.stored-offline"
  | "record.reconciled"
  | "record.forwarded"
  | "record.collecting"
  | "record.collected"
  | "record.collection-failed";

/** Why a person should look at a card payment. */
export type AttentionReason =
  /** The processor may have made it; the screen must not say paid until the kiosk finds out. */
  | "outcome-unknown"
  | "declined-after-offline"
  | "offline-expired"
  | "collection-failed"
  /** The record is voided but the processor has not confirmed the void; it is sent again. */
  | "void-unconfirmed";

export type ProcessorCall = "sale" | "refund" | "void" | "charge-saved-card" | "forward-stored-sale";

/**
 * What the code running the machine does for a transition. Effects that write (`revise-record`,
 * `save-card`, `store-offline`, `wipe-stored-card`, `note-attempt`) go into the transaction that
 * writes the intent's new state; the others run after it commits, in order.
 */
export type IntentEffect =
  | { readonly kind: "call-processor"; readonly call: ProcessorCall }
  | { readonly kind: "look-up"; readonly what: "charge" | "refund" }
  | {
      readonly kind: "revise-record";
      readonly change: Partial<PaymentRecord>;
      readonly action: RecordAction;
    }
  | { readonly kind: "save-card"; readonly clientId: string; readonly card: SavedCard }
  | { readonly kind: "store-offline"; readonly recordId: string; readonly amountMinor: number }
  | { readonly kind: "wipe-stored-card"; readonly recordId: string; readonly outcome: string }
  | {
      readonly kind: "note-attempt";
      readonly recordId: string;
      readonly attempt: number;
      readonly outcome: string;
    }
  /** Forget the swiped card number held in memory: the processor has answered. */
  | { readonly kind: "wipe-card" }
  | { readonly kind: "ask-person"; readonly why: AttentionReason; readonly code: string | null };

/** The effects the store writes alongside the intent's new state, other than the record itself. */
export type StoredEffect = Extract<
  IntentEffect,
  { kind: "save-card" | "store-offline" | "wipe-stored-card" | "note-attempt" }
>;

export function isStoredEffect(effect: IntentEffect): effect is StoredEffect {
  return (
    effect.kind === "save-card" ||
    effect.kind === "store-offline" ||
    effect.kind === "wipe-stored-card" ||
    effect.kind === "note-attempt"
  );
}
