import type { Invoice, PaidElsewhere } from "./invoice.js";
import { add, type Money, max, negate, subtract, sum, zero } from "./money.js";
import type { PaymentRecord, RecordLine } from "./payment-record.js";

/** Where an invoice stands, from its total, the records against it here and what was paid elsewhere. */
export interface InvoiceAccount {
  readonly total: Money;
  /** Completed payments, here and elsewhere. */
  readonly paid: Money;
  /** The part of `paid` taken elsewhere (another kiosk, Spectra), as central last said. */
  readonly paidElsewhere: Money;
  /** When central last told this kiosk about payments elsewhere; null when it never did. */
  readonly elsewhereAsOf: string | null;
  /** Completed refunds, here and elsewhere. */
  readonly refunded: Money;
  /** What the client still owes: total − paid + refunded, never below zero. */
  readonly balance: Money;
  /** What the client paid beyond the total, shown separately from the balance. */
  readonly credit: Money;
  /** Payments promised but not settled (scheduled, pending, authorizing): they hold balance. */
  readonly heldByPayments: Money;
  /** Refunds under way (pending, authorizing): they hold what can still be refunded. */
  readonly heldByRefunds: Money;
  /** The most a new payment may be without overpaying. */
  readonly payable: Money;
  /** The most a new refund may be: net paid less refunds under way. */
  readonly refundable: Money;
}

const IN_FLIGHT = new Set(["scheduled", "pending", "authorizing"]);

/**
 * `elsewhere` never includes this kiosk's own records (central leaves them out of what it sends each
 * kiosk), so a record counts once here whether or not it has reached central yet.
 */
export function invoiceAccount(
  invoice: Pick<Invoice, "totalMinor" | "currency"> & { readonly elsewhere?: PaidElsewhere | null },
  records: readonly RecordLine[],
): InvoiceAccount {
  const currency = invoice.currency;
  const amounts = (kind: PaymentRecord["kind"], keep: (record: RecordLine) => boolean): Money =>
    sum(
      records.filter((record) => record.kind === kind && keep(record)).map((record) => record.amount),
      currency,
    );
  const completed = (record: RecordLine): boolean => record.status === "completed";
  const inFlight = (record: RecordLine): boolean => IN_FLIGHT.has(record.status);

  const total: Money = { minor: invoice.totalMinor, currency };
  const elsewhere = invoice.elsewhere ?? null;
  const paidElsewhere: Money = { minor: elsewhere?.paidMinor ?? 0, currency };
  const paid = add(amounts("payment", completed), paidElsewhere);
  const refunded = add(amounts("refund", completed), { minor: elsewhere?.refundedMinor ?? 0, currency });
  const owed = add(subtract(total, paid), refunded);
  const heldByPayments = amounts("payment", inFlight);
  const heldByRefunds = amounts("refund", inFlight);
  const none = zero(currency);
  return {
    total,
    paid,
    paidElsewhere,
    elsewhereAsOf: elsewhere?.asOf ?? null,
    refunded,
    balance: max(owed, none),
    credit: max(negate(owed), none),
    heldByPayments,
    heldByRefunds,
    payable: max(subtract(owed, heldByPayments), none),
    refundable: max(subtract(subtract(paid, refunded), heldByRefunds), none),
  };
}

/** Identifies a card across records: the processor's token, or the masked number when there is none. */
export function cardKey(record: Pick<PaymentRecord, "method">): string | null {
  if (record.method.type !== "card") return null;
  return record.method.processorToken ?? record.method.maskedPan ?? null;
}

/** What one card has paid on the invoice, less what was (or is being) refunded to it. */
export function cardNetPaid(records: readonly RecordLine[], key: string, currency: string): Money {
  const onCard = records.filter((record) => cardKey(record) === key);
  const paid = sum(
    onCard.filter((r) => r.kind === "payment" && r.status === "completed").map((r) => r.amount),
    currency,
  );
  const refunded = sum(
    onCard
      .filter((r) => r.kind === "refund" && (r.status === "completed" || IN_FLIGHT.has(r.status)))
      .map((r) => r.amount),
    currency,
  );
  return subtract(paid, refunded);
}
