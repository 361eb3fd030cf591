import type { ReceiptKind, ReceiptLanguage } from "./receipt-document.js";

/** Every word a receipt prints, per language (the screen's messages live in the browser bundle). */
export interface ReceiptWords {
  readonly titles: Readonly<Record<ReceiptKind, string>>;
  readonly reprint: string;
  readonly voidedNotice: string;
  readonly futureNotice: string;
  readonly refundNotice: string;
  readonly date: string;
  readonly voidedAt: string;
  readonly invoice: string;
  readonly client: string;
  readonly method: string;
  readonly card: string;
  readonly authorization: string;
  readonly checkNumber: string;
  readonly reference: string;
  readonly amount: string;
  readonly refunded: string;
  readonly voidedAmount: string;
  readonly amountDue: string;
  readonly tendered: string;
  readonly change: string;
  readonly dueDate: string;
  readonly refundableUntil: string;
  readonly balanceRemaining: string;
  readonly staff: string;
  readonly kiosk: string;
  readonly record: string;
  readonly thanks: string;
  readonly subject: (studioName: string, invoiceNumber: string) => string;
}

export const RECEIPT_WORDS: Readonly<Record<ReceiptLanguage, ReceiptWords>> = {
  en: {
    titles: { payment: "PAYMENT", refund: "REFUND", void: "VOID", "future-payment": "FUTURE PAYMENT" },
    reprint: "*** REPRINT ***",
    voidedNotice: "VOIDED - no money was taken",
    futureNotice: "Not paid yet: due on the date below",
    refundNotice: "Money returned to the client",
    date: "Date",
    voidedAt: "Voided",
    invoice: "Invoice",
    client: "Client",
    method: "Method",
    card: "Card",
    authorization: "Authorization",
    checkNumber: "Check no.",
    reference: "Reference",
    amount: "Amount",
    refunded: "Refunded",
    voidedAmount: "Voided amount",
    amountDue: "Amount due",
    tendered: "Tendered",
    change: "Change",
    dueDate: "Due date",
    refundableUntil: "Refundable until",
    balanceRemaining: "Balance remaining",
    staff: "Staff",
    kiosk: "Kiosk",
    record: "Record",
    thanks: "Thank you!",
    subject: (studio, invoice) => `Your receipt from ${studio} - invoice ${invoice}`,
  },
  es: {
    titles: { payment: "PAGO", refund: "REEMBOLSO", void: "ANULACIÓN", "future-payment": "PAGO FUTURO" },
    reprint: "*** REIMPRESIÓN ***",
    voidedNotice: "ANULADO - no se cobró nada",
    futureNotice: "Aún no pagado: vence en la fecha indicada",
    refundNotice: "Dinero devuelto al cliente",
    date: "Fecha",
    voidedAt: "Anulado",
    invoice: "Factura",
    client: "Cliente",
    method: "Método",
    card: "Tarjeta",
    authorization: "Autorización",
    checkNumber: "Cheque n.º",
    reference: "Referencia",
    amount: "Importe",
    refunded: "Reembolsado",
    voidedAmount: "Importe anulado",
    amountDue: "Importe a pagar",
    tendered: "Entregado",
    change: "Cambio",
    dueDate: "Vencimiento",
    refundableUntil: "Reembolsable hasta",
    balanceRemaining: "Saldo pendiente",
    staff: "Atendido por",
    kiosk: "Terminal",
    record: "Registro",
    thanks: "¡Gracias!",
    subject: (studio, invoice) => `Su recibo de ${studio} - factura ${invoice}`,
  },
};
