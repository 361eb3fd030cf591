import type { MaskedPan } from "../../payments/card/masked-pan.js";
import { formatMoney, type Money } from "../../payments/money.js";
import { EscPosBuilder } from "./escpos.js";

/** What a receipt shows; built by whoever records the payment, from the committed record. */
export interface Receipt {
  readonly studioName: string;
  /** When the payment was taken, already formatted in the studio's time zone and locale. */
  readonly takenAt: string;
  readonly invoiceNumber: string;
  readonly kind: "payment" | "refund";
  readonly methodName: string;
  readonly card: { readonly maskedPan: MaskedPan; readonly authorizationCode: string | null } | null;
  readonly amount: Money;
  readonly cash: { readonly tendered: Money; readonly change: Money } | null;
  readonly balanceRemaining: Money;
  readonly recordId: string;
  readonly locale: string;
}

/** "Label ........ value" on one line of `columns` characters. */
function row(label: string, value: string, columns: number): string {
  const space = columns - label.length - value.length;
  return space >= 1 ? `${label}${" ".repeat(space)}${value}` : `${label} ${value}`;
}

/** The receipt as ESC/POS bytes: heading, details, amounts, then the record id as text and QR code. */
export function receiptBytes(receipt: Receipt, columns: number): Buffer {
  const money = (amount: Money): string => formatMoney(amount, receipt.locale);
  const out = new EscPosBuilder().init().align("center").bold(true).large(true);
  out
    .line(receipt.studioName.slice(0, Math.floor(columns / 2)))
    .large(false)
    .bold(false);
  out.line(receipt.takenAt).line();
  out
    .bold(true)
    .line(receipt.kind === "payment" ? "PAYMENT" : "REFUND")
    .bold(false)
    .align("left");
  out.line(row("Invoice", receipt.invoiceNumber, columns));
  out.line(row("Method", receipt.methodName, columns));
  if (receipt.card) {
    out.line(row("Card", receipt.card.maskedPan, columns));
    if (receipt.card.authorizationCode)
      out.line(row("Authorization", receipt.card.authorizationCode, columns));
  }
  out
    .bold(true)
    .line(row(receipt.kind === "payment" ? "Amount" : "Refunded", money(receipt.amount), columns))
    .bold(false);
  if (receipt.cash) {
    out.line(row("Tendered", money(receipt.cash.tendered), columns));
    out.line(row("Change", money(receipt.cash.change), columns));
  }
  out.line(row("Balance remaining", money(receipt.balanceRemaining), columns)).line();
  out.align("center").line("Record").line(receipt.recordId).qr(receipt.recordId).line();
  return out.feed(3).cut().bytes();
}
