import type { PaymentRecord } from "../payments/payment-record.js";
import { collectionProblems } from "./cards/due-payments.js";
import type { CheckoutTables } from "./checkout-tables.js";
import type { AttentionItem } from "./checkout-types.js";

type AttentionTables = Pick<CheckoutTables, "invoices" | "records" | "offlineCards" | "collections">;

/** Where a record belongs, as staff know it: the invoice's number and the client's name. */
function invoiceOf(
  store: AttentionTables,
  record: PaymentRecord,
): { invoiceNumber: string; clientName: string } {
  const invoice = store.invoices.get(record.invoiceId);
  return {
    invoiceNumber: invoice?.number ?? record.invoiceId,
    clientName: invoice ? `${invoice.client.firstName} ${invoice.client.lastName}`.trim() : "",
  };
}

/**
 * What needs a person: payments stored offline that the processor declined when they were
 * forwarded (until acknowledged), and due future payments the saved card could not pay.
 */
export function attentionItems(store: AttentionTables, today: string): AttentionItem[] {
  const declines = store.offlineCards.declinesToReview().flatMap((decline): AttentionItem[] => {
    const record = store.records.get(decline.recordId);
    if (!record) return [];
    return [
      {
        recordId: record.id,
        kind: "offline-declined",
        ...invoiceOf(store, record),
        amount: { minor: decline.amountMinor, currency: record.amount.currency },
        outcome: decline.outcome,
        at: decline.forwardedAt,
        attempts: null,
      },
    ];
  });
  const collections = collectionProblems(store, today).map(
    (problem): AttentionItem => ({
      recordId: problem.record.id,
      kind: "collection-failed",
      ...invoiceOf(store, problem.record),
      amount: problem.record.amount,
      outcome: problem.lastOutcome,
      at: problem.nextTryAt,
      attempts: problem.attempts,
    }),
  );
  return [...declines, ...collections];
}
