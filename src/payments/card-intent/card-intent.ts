import { ErrorCodes } from "../../core/error-codes.js";

/** What an intent asks of the processor: a sale, a refund, a void, or a due payment's saved-card charge. */
export type IntentOperation = "sale" | "refund" | "void" | "collect";

/** Why an intent ended without the processor doing what it asked. */
export type IntentFailure =
  /** The issuer or the processor said no (PROCESSOR_DECLINED and its kin, a rejected request). */
  | { readonly reason: "declined"; readonly code: string }
  /** The processor was unreachable or failed, and made nothing. */
  | { readonly reason: "not-made" }
  /** The kiosk stopped during the call, and the processor never made it. */
  | { readonly reason: "interrupted" }
  /** Stored offline for longer than the policy allows: never sent. */
  | { readonly reason: "expired" };

/**
 * Where an intent stands. open: on disk before the processor is called, which may be answering ·
 * deferred: a sale stored offline, to forward · done: the processor did it · failed: it did not.
 * done and failed are final: nothing moves an intent out of them.
 */
export type IntentState =
  | { readonly phase: "open" }
  | { readonly phase: "deferred" }
  | { readonly phase: "done" }
  | { readonly phase: "failed"; readonly failure: IntentFailure };

export type IntentPhase = IntentState["phase"];

/** One processor call for one record, with the idempotency key every retry of it reuses. */
export interface CardIntent {
  readonly key: string;
  readonly operation: IntentOperation;
  readonly recordId: string;
  /** Which try at a due payment this is (collect only): each try has its own key. */
  readonly attempt: number | null;
  readonly state: IntentState;
}

/** An intent's state as its row keeps it: the phase, and the outcome ("approved", "voided" or a code). */
export interface StoredIntentState {
  readonly phase: IntentPhase;
  readonly outcome: string | null;
}

export const OPEN: IntentState = { phase: "open" };
export const DEFERRED: IntentState = { phase: "deferred" };
export const DONE: IntentState = { phase: "done" };

/** The idempotency key of one processor call for one record: stable, so a retry reuses it. */
export function intentKey(operation: IntentOperation, recordId: string, attempt?: number): string {
  return attempt === undefined ? `${operation}:${recordId}` : `${operation}:${recordId}:${attempt}`;
}

/** The coded reason a failure gives the record (its decline code) and the intent's row. */
export function failureCode(failure: IntentFailure): string {
  switch (failure.reason) {
    case "declined":
      return failure.code;
    case "not-made":
      return ErrorCodes.PROCESSOR_UNAVAILABLE;
    case "interrupted":
      return ErrorCodes.CARD_PAYMENT_INTERRUPTED;
    case "expired":
      return ErrorCodes.CARD_OFFLINE_EXPIRED;
  }
}

export function storedState(operation: IntentOperation, state: IntentState): StoredIntentState {
  switch (state.phase) {
    case "open":
    case "deferred":
      return { phase: state.phase, outcome: null };
    case "done":
      return { phase: "done", outcome: operation === "void" ? "voided" : "approved" };
    case "failed":
      return { phase: "failed", outcome: failureCode(state.failure) };
  }
}

export function stateFromStored(stored: StoredIntentState): IntentState {
  switch (stored.phase) {
    case "open":
      return OPEN;
    case "deferred":
      return DEFERRED;
    case "done":
      return DONE;
    case "failed":
      return { phase: "failed", failure: failureFromCode(stored.outcome ?? "") };
  }
}

function failureFromCode(code: string): IntentFailure {
  switch (code) {
    case ErrorCodes.PROCESSOR_UNAVAILABLE:
      return { reason: "not-made" };
    case ErrorCodes.CARD_PAYMENT_INTERRUPTED:
      return { reason: "interrupted" };
    case ErrorCodes.CARD_OFFLINE_EXPIRED:
      return { reason: "expired" };
    default:
      return { reason: "declined", code };
  }
}

/** The try number a collect key carries (`collect:{record}:{try}`); null for other keys. */
export function attemptOf(operation: IntentOperation, key: string): number | null {
  if (operation !== "collect") return null;
  const attempt = Number(key.slice(key.lastIndexOf(":") + 1));
  return Number.isSafeInteger(attempt) && attempt > 0 ? attempt : null;
}

/**
 * The phase changes a row may make: forward only, out of open or deferred, never out of done or
 * failed. The intent book refuses any other, so the database cannot drift from the machine.
 */
export function isPhaseChangeAllowed(from: IntentPhase, to: IntentPhase): boolean {
  switch (from) {
    case "open":
      return to !== "open";
    case "deferred":
      return to === "done" || to === "failed";
    case "done":
    case "failed":
      return false;
  }
}
