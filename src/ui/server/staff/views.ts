import type {
  DrawerCount,
  FoundInvoice,
  FoundPayment,
  ShiftReport,
} from "../../../checkout/checkout-types.js";
import type { PaymentRecord } from "../../../payments/payment-record.js";
import type {
  DrawerCountView,
  FoundPaymentLine,
  InvoiceView,
  PaymentChoice,
  RecordLine,
  SavedView,
  ShiftReportView,
} from "../../flows/staff/index.js";

function detailOf(record: PaymentRecord): string | null {
  switch (record.method.type) {
    case "card": {
      const last4 = record.method.maskedPan?.slice(-4);
      const type = record.method.cardType ?? record.method.brand ?? "Card";
      return last4 ? `${type} ···· ${last4}` : type;
    }
    case "check":
      return `#${record.method.checkNumber}`;
    default:
      return null;
  }
}

/** The invoice for the form: where it stands, and the completed payments a refund can name. */
export function invoiceView({ invoice, account, records, savedCards }: FoundInvoice): InvoiceView {
  const payments: PaymentChoice[] = records
    .filter((record) => record.kind === "payment" && record.status === "completed")
    .map((record) => ({
      id: record.id,
      amount: record.amount,
      methodId: record.methodId,
      methodName: record.methodName,
      paymentDate: record.paymentDate,
      detail: detailOf(record),
    }));
  return {
    id: invoice.id,
    number: invoice.number,
    clientName: `${invoice.client.firstName} ${invoice.client.lastName}`.trim(),
    total: account.total,
    paid: account.paid,
    refunded: account.refunded,
    balance: account.balance,
    payable: account.payable,
    refundable: account.refundable,
    ...(account.credit.minor > 0 ? { credit: account.credit } : {}),
    payments,
    savedCards: savedCards.map((card) => ({
      token: card.token,
      brand: card.brand,
      last4: card.last4,
      expiry: card.expiry ? `${String(card.expiry.month).padStart(2, "0")}/${card.expiry.year}` : null,
    })),
  };
}

export function savedView(record: PaymentRecord): SavedView {
  const cash = record.method.type === "cash" ? record.method : null;
  const card = record.method.type === "card" ? record.method : null;
  return {
    recordId: record.id,
    kind: record.kind,
    invoiceNumber: record.invoiceNumber,
    amount: record.amount,
    methodName: record.methodName,
    status: record.status,
    paymentDate: record.paymentDate,
    dueDate: record.dueDate,
    refundableUntil: record.refundable ? record.refundableUntil : null,
    amountTendered: cash?.amountTendered ?? null,
    changeDue: cash?.changeDue ?? null,
    authorizationCode: card?.authorizationCode ?? null,
    maskedPan: card?.maskedPan ?? null,
  };
}

export function recordLine(record: PaymentRecord): RecordLine {
  return {
    id: record.id,
    kind: record.kind,
    invoiceNumber: record.invoiceNumber,
    amount: record.amount,
    methodName: record.methodName,
    status: record.status,
    createdAt: record.createdAt,
    staffId: record.staffId,
  };
}

export function foundPaymentLine(found: FoundPayment): FoundPaymentLine {
  return { ...recordLine(found.record), clientName: found.clientName, date: found.date };
}

export function drawerCountView(count: DrawerCount): DrawerCountView {
  const { id, counted, expected, difference, countedBy, countedAt } = count;
  return { id, counted, expected, difference, countedBy, countedAt };
}

export function reportView(report: ShiftReport): ShiftReportView {
  return {
    shiftId: report.shift.id,
    openedAt: report.shift.openedAt,
    closedAt: report.closedAt,
    byMethod: report.byMethod,
    payments: report.payments,
    refunds: report.refunds,
    voids: report.voids,
    futurePayments: report.futurePayments,
    declined: report.declined,
    net: report.net,
    expectedCash: report.expectedCash,
    drawerCounts: report.drawerCounts.map(drawerCountView),
  };
}
