import { ErrorCodes } from "../../../src/core/error-codes.js";
import type { IntentOperation, IntentPhase } from "../../../src/payments/card-intent/card-intent.js";
import type { RecordStatus } from "../../../src/payments/payment-record.js";

/**
 * The model of the intent test: what the kiosk's records and intents and the processor's ledger
 * must hold after each step, written from the specification (docs/card-processing.md) without the
 * machine's code, so a wrong transition shows up as a difference.
 */

export type TestCard = "approve" | "decline";
export type CardEntry = "swiped" | "encrypted";

export interface ModelIntent {
  readonly key: string;
  readonly operation: IntentOperation;
  phase: IntentPhase;
  /** "approved", "voided" or the coded reason, once settled. */
  outcome: string | null;
}

export interface ModelRecord {
  readonly id: string;
  readonly kind: "payment" | "refund";
  /** How the card came: swiped, reader-encrypted, or a future payment charged to a saved card. */
  readonly entry: CardEntry | "saved";
  /** The card swiped; for a future payment, the card of its latest try. */
  card: TestCard;
  readonly amountMinor: number;
  readonly refundOf: string | null;
  status: RecordStatus;
  declineCode: string | null;
  intents: ModelIntent[];
  /** When it was stored offline (ms), for the maximum age. */
  storedAt: number | null;
  /** Tries at collecting it (future payments). */
  attempts: number;
}

/** What the processor has done, by idempotency key. */
export interface ProcessorFacts {
  readonly charges: Map<string, { recordId: string; amountMinor: number; voided: boolean }>;
  readonly refunds: Map<string, { recordId: string; amountMinor: number }>;
  /**
   * Payments whose charges Authorize.Net has settled (a refund settles first: it refunds only a
   * settled charge). A settled charge can no longer be voided, only refunded.
   */
  readonly settled: Set<string>;
}

export interface Model extends ProcessorFacts {
  /** The kiosk process is running (not killed). */
  up: boolean;
  /** The charger believes the processor reachable. */
  online: boolean;
  now: number;
  readonly records: ModelRecord[];
}

export const OFFLINE_POLICY = {
  enabled: true,
  perPaymentCapMinor: 5_000,
  totalCapMinor: 8_000,
  maxAgeHours: 72,
};
export const COLLECTION_POLICY = { maxAttempts: 3, retryIntervalHours: 0 };
export const START = Date.parse("2026-11-26T17:00:00Z");

export function newModel(): Model {
  return {
    up: true,
    online: true,
    now: START,
    records: [],
    charges: new Map(),
    refunds: new Map(),
    settled: new Set(),
  };
}

/** A void not yet done at the processor: it must reach the charge before settlement does. */
export const voidUnderWay = (model: Model): boolean =>
  model.records.some((record) =>
    record.intents.some((intent) => intent.operation === "void" && intent.phase !== "done"),
  );

export const openIntent = (key: string, operation: IntentOperation): ModelIntent => ({
  key,
  operation,
  phase: "open",
  outcome: null,
});

export function settle(
  intent: ModelIntent,
  phase: "done" | "failed" | "deferred",
  outcome: string | null,
): void {
  intent.phase = phase;
  intent.outcome = outcome;
}

/** The intent that decides a record's status: its newest sale, refund or collection try. */
export function mainIntent(record: ModelRecord): ModelIntent | undefined {
  return record.intents.filter((intent) => intent.operation !== "void").at(-1);
}

/** Declines a record with its intent failed for `code`. */
export function decline(record: ModelRecord, intent: ModelIntent, code: string): void {
  settle(intent, "failed", code);
  record.status = "declined";
  record.declineCode = code;
}

export function complete(record: ModelRecord, intent: ModelIntent): void {
  settle(intent, "done", "approved");
  record.status = "completed";
  record.declineCode = null;
}

/** A failed try at a due payment: back to waiting, the try counted. */
export function collectionFailed(record: ModelRecord, intent: ModelIntent, code: string): void {
  settle(intent, "failed", code);
  record.status = "scheduled";
  record.attempts += 1;
}

/** What the reader's caps still allow to be stored offline. */
export function storedOfflineMinor(model: Model): number {
  return model.records
    .filter((record) => mainIntent(record)?.phase === "deferred")
    .reduce((sum, record) => sum + record.amountMinor, 0);
}

export function acceptsOffline(model: Model, entry: CardEntry, amountMinor: number): boolean {
  return (
    entry === "encrypted" &&
    amountMinor <= OFFLINE_POLICY.perPaymentCapMinor &&
    storedOfflineMinor(model) + amountMinor <= OFFLINE_POLICY.totalCapMinor
  );
}

/** A card payment the processor holds, which a refund or a void may name. */
export function isSettledCharge(record: ModelRecord): boolean {
  return record.kind === "payment" && record.status === "completed";
}

/** What is left to refund of a payment: its amount less every refund of it not declined. */
export function refundableMinor(model: Model, payment: ModelRecord): number {
  const held = model.records
    .filter((record) => record.refundOf === payment.id && record.status !== "declined")
    .reduce((sum, record) => sum + record.amountMinor, 0);
  return payment.amountMinor - held;
}

export function canVoid(model: Model, payment: ModelRecord): boolean {
  return (
    isSettledCharge(payment) &&
    !model.settled.has(payment.id) &&
    !model.records.some((record) => record.refundOf === payment.id && record.status !== "declined")
  );
}

/** The one future payment under way, if any (the test keeps to one so a batch has one try). */
export function futurePayment(model: Model): ModelRecord | undefined {
  return model.records.find(
    (record) =>
      record.entry === "saved" &&
      (record.status === "authorizing" ||
        (record.status === "scheduled" && record.attempts < COLLECTION_POLICY.maxAttempts)),
  );
}

export function chargeKeyOf(record: ModelRecord): string | undefined {
  const intent = mainIntent(record);
  return intent && intent.operation !== "refund" ? intent.key : undefined;
}

/** Records the processor making a charge for a call that reached it, if the card approves. */
export function processorCharges(model: Model, record: ModelRecord, key: string, card: TestCard): void {
  if (card === "approve" && !model.charges.has(key)) {
    model.charges.set(key, { recordId: record.id, amountMinor: record.amountMinor, voided: false });
  }
}

export const DECLINED = ErrorCodes.PROCESSOR_DECLINED;
export const UNAVAILABLE = ErrorCodes.PROCESSOR_UNAVAILABLE;
export const INTERRUPTED = ErrorCodes.CARD_PAYMENT_INTERRUPTED;
export const EXPIRED = ErrorCodes.CARD_OFFLINE_EXPIRED;
