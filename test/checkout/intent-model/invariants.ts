import { expect } from "vitest";
import type { PaymentRecord, RecordStatus } from "../../../src/payments/payment-record.js";
import type { Intent } from "../../../src/store/intent-book.js";
import { referenceOf, simCharges, simRefunds } from "../../helpers/card-payments.js";
import type { KioskSnapshot, KioskUnderTest } from "./kiosk-under-test.js";
import { type Model, storedOfflineMinor } from "./model.js";

const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
const attemptOf = (intent: Intent): number => Number(intent.idempotencyKey.split(":")[2] ?? 0);

/**
 * The status a record must have for its intents, from the table in docs/card-processing.md: the
 * newest sale, refund or collection try decides (open → authorizing, deferred → pending, done →
 * completed, failed → declined, or scheduled again for a collection try), and a void → voided.
 */
function statusForIntents(record: PaymentRecord, intents: readonly Intent[]): RecordStatus | null {
  const main = intents
    .filter((intent) => intent.operation !== "void")
    .sort((a, b) => attemptOf(a) - attemptOf(b));
  const latest = main.at(-1);
  if (intents.some((intent) => intent.operation === "void")) {
    expect(latest?.state, `${record.id}: only a charge made can be voided at the processor`).toBe("done");
    return "voided";
  }
  for (const earlier of main.slice(0, -1)) {
    expect(earlier.state, `${record.id}: a collection try before the last one failed`).toBe("failed");
  }
  if (!latest) return record.futurePayment ? "scheduled" : null;
  switch (latest.state) {
    case "open":
      return "authorizing";
    case "deferred":
      return "pending";
    case "done":
      return "completed";
    case "failed":
      return latest.operation === "collect" ? "scheduled" : "declined";
  }
}

interface ProcessorEntry {
  /** The kiosk intent's key the transaction's reference was made from. */
  readonly key: string;
  readonly recordId: string;
  readonly id: string;
  readonly amountMinor: number;
  readonly voided: boolean;
}

/**
 * This run's charges and refunds at the simulator, each named by the intent key its reference
 * (invoiceNumber) was made from: every call that moves money is made under an intent on disk first,
 * so the snapshot's intents name every reference the kiosk could have sent.
 */
function processorBooks(
  kiosk: KioskUnderTest,
  snapshot: KioskSnapshot,
): { charges: ProcessorEntry[]; refunds: ProcessorEntry[] } {
  const byReference = new Map<string, { key: string; recordId: string }>();
  for (const [recordId, intents] of snapshot.intents) {
    for (const intent of intents) {
      byReference.set(referenceOf(intent.idempotencyKey), { key: intent.idempotencyKey, recordId });
    }
  }
  const ours = (transactions: ReturnType<typeof simCharges>): ProcessorEntry[] =>
    transactions.flatMap((transaction) => {
      const intent = byReference.get(transaction.invoiceNumber ?? "");
      return intent
        ? [
            {
              ...intent,
              id: transaction.transId,
              amountMinor: transaction.amountMinor,
              voided: transaction.status === "voided",
            },
          ]
        : [];
    });
  return { charges: ours(simCharges(kiosk.simulator)), refunds: ours(simRefunds(kiosk.simulator)) };
}

/** Checked after every step: the kiosk against the model, the records against their intents, the processor. */
export function checkKiosk(model: Model, kiosk: KioskUnderTest): KioskSnapshot {
  const snapshot = kiosk.snapshot();
  const real = new Map(snapshot.records.map((record) => [record.id, record]));

  // The kiosk holds exactly the model's records, each as the model says, with the model's intents.
  expect([...real.keys()].sort()).toEqual(model.records.map((record) => record.id).sort());
  for (const expected of model.records) {
    const record = real.get(expected.id) as PaymentRecord;
    expect({
      id: record.id,
      status: record.status,
      declineCode: record.status === "declined" ? record.declineCode : null,
    }).toEqual({
      id: expected.id,
      status: expected.status,
      declineCode: expected.status === "declined" ? expected.declineCode : null,
    });
    const intents = (snapshot.intents.get(record.id) ?? []).map((intent) => ({
      key: intent.idempotencyKey,
      operation: intent.operation,
      phase: intent.state,
      outcome: intent.outcome,
    }));
    expect(intents.sort(byKey)).toEqual(expected.intents.map((intent) => ({ ...intent })).sort(byKey));
    if (expected.entry === "saved") expect(snapshot.attempts.get(record.id)).toBe(expected.attempts);
  }
  expect(snapshot.offlineStoredMinor).toBe(storedOfflineMinor(model));

  // Every record's status agrees with its intents' states.
  for (const record of snapshot.records) {
    const status = statusForIntents(record, snapshot.intents.get(record.id) ?? []);
    if (status !== null) expect(record.status, `${record.id} against its intents`).toBe(status);
  }

  // The processor: never two charges for one record, and exactly what the model says it made.
  const books = processorBooks(kiosk, snapshot);
  const charges = books.charges.filter((charge) => !charge.key.startsWith("refund:"));
  const chargesPerRecord = new Map<string, number>();
  for (const charge of charges) {
    chargesPerRecord.set(charge.recordId, (chargesPerRecord.get(charge.recordId) ?? 0) + 1);
  }
  expect([...chargesPerRecord.values()].filter((count) => count > 1)).toEqual([]);
  expect(
    Object.fromEntries(
      charges.map((charge) => [
        charge.key,
        { recordId: charge.recordId, amountMinor: charge.amountMinor, voided: charge.voided },
      ]),
    ),
  ).toEqual(Object.fromEntries(model.charges));
  const refunds = books.refunds;
  expect(new Set(refunds.map((refund) => refund.key)).size).toBe(refunds.length);
  expect(
    Object.fromEntries(
      refunds.map((refund) => [refund.key, { recordId: refund.recordId, amountMinor: refund.amountMinor }]),
    ),
  ).toEqual(Object.fromEntries(model.refunds));

  // A completed record names what the processor made for it.
  for (const record of snapshot.records.filter((candidate) => candidate.status === "completed")) {
    const reference = record.method.type === "card" ? record.method.processorReference : null;
    if (record.kind === "payment") {
      const charge = charges.find((candidate) => candidate.id === reference);
      expect(charge, `${record.id}: completed without its charge`).toMatchObject({
        voided: false,
        amountMinor: record.amount.minor,
        recordId: record.id,
      });
    } else {
      expect(refunds.find((refund) => refund.id === reference)?.amountMinor).toBe(record.amount.minor);
    }
  }
  return snapshot;
}

/**
 * After a reconciliation that reached the processor: no intent is left open, and every charge the
 * processor made has its record completed (or voided since), unless it is a stored offline payment
 * whose forward lost its answer: the forwarder sends the same key again.
 */
export function checkReconciled(model: Model, kiosk: KioskUnderTest): void {
  const snapshot = checkKiosk(model, kiosk);
  const intents = [...snapshot.intents.values()].flat();
  expect(intents.filter((intent) => intent.state === "open").map((intent) => intent.idempotencyKey)).toEqual(
    [],
  );
  const records = new Map(snapshot.records.map((record) => [record.id, record]));
  const books = processorBooks(kiosk, snapshot);
  for (const charge of books.charges) {
    const record = records.get(charge.recordId);
    if (!record) continue;
    const waitingToForward = (snapshot.intents.get(record.id) ?? []).some(
      (intent) => intent.state === "deferred",
    );
    expect(
      record.status === "completed" || record.status === "voided" || waitingToForward,
      `${record.id} was charged but is ${record.status}`,
    ).toBe(true);
  }
  for (const refund of books.refunds) {
    const record = records.get(refund.recordId);
    if (record) expect(record.status).toBe("completed");
  }
}
