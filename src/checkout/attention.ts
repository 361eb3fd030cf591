import type { PaymentRecord } from "../payments/payment-record.js";
import { collectionProblems } from "./cards/due-payments.js";
import type { CheckoutTables } from "./checkout-tables.js";
import type { AttentionItem } from "./checkout-types.js";

/** Stripe's decline code for a charge that needs the card holder (3D Secure) to approve it. */
const AUTHENTICATION_REQUIRED = "authentication_required";

type AttentionTables = Pick<
  CheckoutTables,
  "invoices" | "records" | "offlineCards" | "collections" | "outbox"
>;

/** What the kiosk can do itself, which decides an item's actions. */
export interface AttentionContext {
  /**
   * Staff can retry a failed collection on the saved card here: the kiosk charges saved cards
   * itself (Authorize.Net). Not where central collects them (Stripe) or no processor saves cards.
   */
  readonly retriesSavedCards: boolean;
}

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
 * forwarded (until acknowledged), due future payments the saved card could not pay, cash and check
 * future payments fallen due (collected at the desk), and records
 * central refused (for what is wrong in them) that no later revision has made good — the kiosk never
 * forgets those: they stay here, with central's code and reason, until someone corrects them.
 */
export function attentionItems(
  store: AttentionTables,
  today: string,
  kiosk: AttentionContext,
): AttentionItem[] {
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
        actions: ["acknowledge"],
        payLink: null,
      },
    ];
  });
  const collections = collectionProblems(store, today).map(
    (problem): AttentionItem => ({
      recordId: problem.record.id,
      // Central's off-session charge needs the client: the payment page goes to them.
      kind: problem.lastOutcome === AUTHENTICATION_REQUIRED ? "authentication-required" : "collection-failed",
      ...invoiceOf(store, problem.record),
      amount: problem.record.amount,
      outcome: problem.lastOutcome,
      at: problem.nextTryAt,
      attempts: problem.attempts,
      // A charge the client must approve is not retried on the saved card: they pay on the link.
      // Where central collects saved cards (Stripe), the kiosk has no saved card to retry.
      actions:
        problem.lastOutcome === AUTHENTICATION_REQUIRED
          ? ["collected-elsewhere", "cancel"]
          : [
              ...(kiosk.retriesSavedCards ? (["retry-saved-card"] as const) : []),
              "charge-another-card",
              "collected-elsewhere",
              "cancel",
            ],
      payLink: problem.payLink,
    }),
  );
  // Cash and checks promised for a day are collected at the desk (cards are charged by the kiosk).
  const atDesk = store.records
    .scheduledDue(today)
    .filter((record) => record.method.type === "cash" || record.method.type === "check")
    .map(
      (record): AttentionItem => ({
        recordId: record.id,
        kind: "due-at-desk",
        ...invoiceOf(store, record),
        amount: record.amount,
        outcome: record.methodName,
        at: record.dueDate,
        attempts: null,
        actions: [
          record.method.type === "cash" ? "collect-cash" : "collect-check",
          "collected-elsewhere",
          "cancel",
        ],
        payLink: null,
      }),
    );
  const seen = new Set<string>();
  const refused = store.outbox.refused().flatMap((refusal): AttentionItem[] => {
    const record = store.records.get(refusal.recordId);
    // The newest refused revision of a record speaks for it.
    if (!record || seen.has(record.id)) return [];
    seen.add(record.id);
    const why = [refusal.code, refusal.reason].filter((part) => part !== null).join(": ");
    return [
      {
        recordId: record.id,
        kind: "refused-by-central",
        ...invoiceOf(store, record),
        amount: record.amount,
        outcome: (why || refusal.outcome).slice(0, 200),
        at: refusal.answeredAt,
        attempts: null,
        actions: [],
        payLink: null,
      },
    ];
  });
  return [...declines, ...collections, ...atDesk, ...refused];
}
