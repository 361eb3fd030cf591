import { formatMoney, type Money } from "../money.js";
import type { PaymentRecord } from "../payment-record.js";
import {
  type ReceiptDocument,
  type ReceiptKind,
  type ReceiptRow,
  receiptLanguageOf,
} from "./receipt-document.js";
import { RECEIPT_WORDS, type ReceiptWords } from "./receipt-words.js";

/** Where and for whom a record's receipt is made; the record says the rest. */
export interface ReceiptContext {
  readonly studio: {
    readonly name: string;
    readonly address: readonly string[];
    readonly timeZone: string;
  };
  /** The screen's locale (e.g. "es-ES"): the receipt's language, money and date formats. */
  readonly locale: string;
  readonly clientName: string | null;
  readonly staffName: string | null;
  readonly kioskId: string;
  /** What the invoice still owes after this record, when known. */
  readonly balanceRemaining: Money | null;
  readonly reprint: boolean;
}

/** The part of a record a receipt reads. */
export type ReceiptRecord = Pick<
  PaymentRecord,
  | "id"
  | "kind"
  | "status"
  | "invoiceNumber"
  | "amount"
  | "futurePayment"
  | "dueDate"
  | "refundable"
  | "refundableUntil"
  | "methodName"
  | "method"
  | "createdAt"
  | "voidedAt"
>;

// Made once per locale and zone and kept (an Intl formatter's ICU memory is outside V8's heap).
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: string, timeZone: string, withTime: boolean): Intl.DateTimeFormat {
  const key = `${locale} ${timeZone} ${withTime}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, {
      dateStyle: "medium",
      ...(withTime ? { timeStyle: "short" } : {}),
      timeZone,
    });
    formatters.set(key, format);
  }
  return format;
}

export function receiptKindOf(record: ReceiptRecord): ReceiptKind {
  if (record.status === "voided") return "void";
  if (record.kind === "refund") return "refund";
  return record.futurePayment && record.status === "scheduled" ? "future-payment" : "payment";
}

function amountLabel(kind: ReceiptKind, words: ReceiptWords): string {
  switch (kind) {
    case "payment":
      return words.amount;
    case "refund":
      return words.refunded;
    case "void":
      return words.voidedAmount;
    case "future-payment":
      return words.amountDue;
  }
}

function noticesOf(kind: ReceiptKind, reprint: boolean, words: ReceiptWords): string[] {
  const notices = reprint ? [words.reprint] : [];
  if (kind === "void") notices.push(words.voidedNotice);
  if (kind === "refund") notices.push(words.refundNotice);
  if (kind === "future-payment") notices.push(words.futureNotice);
  return notices;
}

function methodRows(record: ReceiptRecord, words: ReceiptWords, money: (m: Money) => string): ReceiptRow[] {
  const row = (label: string, value: string): ReceiptRow => ({ label, value, strong: false });
  const method = record.method;
  switch (method.type) {
    case "card": {
      const rows: ReceiptRow[] = [];
      const brand = method.cardType ?? method.brand;
      if (method.maskedPan)
        rows.push(row(words.card, brand ? `${brand} ${method.maskedPan}` : method.maskedPan));
      else if (brand) rows.push(row(words.card, brand));
      if (method.authorizationCode) rows.push(row(words.authorization, method.authorizationCode));
      return rows;
    }
    case "check":
      return [row(words.checkNumber, method.checkNumber)];
    case "cash":
      // Tendered and change belong to money that changed hands: not on a void or a future payment.
      if (record.status !== "completed" || method.amountTendered === null) return [];
      return [
        row(words.tendered, money(method.amountTendered)),
        row(words.change, money(method.changeDue ?? { minor: 0, currency: record.amount.currency })),
      ];
    case "gift":
    case "other":
      return method.reference ? [row(words.reference, method.reference)] : [];
  }
}

/**
 * The receipt of a record, of any kind: studio and address, date and time in the studio's zone,
 * invoice, client, method and its details (masked card and authorization, check number, tendered and
 * change), the amount, a refund, void or future payment said plainly, staff, kiosk and record id.
 */
export function composeReceipt(record: ReceiptRecord, context: ReceiptContext): ReceiptDocument {
  const language = receiptLanguageOf(context.locale);
  const words = RECEIPT_WORDS[language];
  const kind = receiptKindOf(record);
  const money = (amount: Money): string => formatMoney(amount, context.locale);
  const instant = (iso: string): string =>
    formatter(context.locale, context.studio.timeZone, true).format(new Date(iso));
  // A studio date is a calendar day: formatted at noon UTC, it is the same day in every zone.
  const day = (date: string): string =>
    formatter(context.locale, "UTC", false).format(new Date(`${date}T12:00:00Z`));
  const row = (label: string, value: string, strong = false): ReceiptRow => ({ label, value, strong });

  const rows: ReceiptRow[] = [row(words.date, instant(record.createdAt))];
  if (kind === "void" && record.voidedAt) rows.push(row(words.voidedAt, instant(record.voidedAt)));
  rows.push(row(words.invoice, record.invoiceNumber));
  if (context.clientName) rows.push(row(words.client, context.clientName));
  rows.push(row(words.method, record.methodName));
  rows.push(...methodRows(record, words, money));
  rows.push(row(amountLabel(kind, words), money(record.amount), true));
  if (kind === "future-payment" && record.dueDate) rows.push(row(words.dueDate, day(record.dueDate)));
  if (kind === "payment" && record.refundable && record.refundableUntil)
    rows.push(row(words.refundableUntil, day(record.refundableUntil)));
  if (context.balanceRemaining) rows.push(row(words.balanceRemaining, money(context.balanceRemaining)));
  if (context.staffName) rows.push(row(words.staff, context.staffName));
  rows.push(row(words.kiosk, context.kioskId));

  return {
    language,
    kind,
    studioName: context.studio.name,
    studioAddress: [...context.studio.address],
    title: words.titles[kind],
    notices: noticesOf(kind, context.reprint, words),
    rows,
    recordLabel: words.record,
    recordId: record.id,
    thanks: words.thanks,
    subject: words.subject(context.studio.name, record.invoiceNumber),
  };
}
