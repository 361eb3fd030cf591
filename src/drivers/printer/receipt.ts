import type { ReceiptDocument } from "../../payments/receipt/receipt-document.js";
import type { CodePage } from "./code-page.js";
import { EscPosBuilder } from "./escpos.js";

/** How the paper is laid out: characters per line, and the code page the printer is set to. */
export interface ReceiptLayout {
  readonly columns: number;
  readonly codePage: CodePage;
}

/** "Label ........ value" on one line; a value too long for it goes on its own line, to the right. */
function row(out: EscPosBuilder, label: string, value: string, columns: number): EscPosBuilder {
  const space = columns - out.width(label) - out.width(value);
  if (space >= 1) return out.line(`${label}${" ".repeat(space)}${value}`);
  const pad = Math.max(0, columns - out.width(value));
  return out.line(label).line(`${" ".repeat(pad)}${value}`);
}

/**
 * A composed receipt (payments/receipt) as ESC/POS bytes: the studio's name and address, the title
 * (PAYMENT, REFUND, VOID, FUTURE PAYMENT) with its notices (REPRINT, VOIDED) large, the rows, then
 * the record id as text and as a QR code.
 */
export function receiptBytes(receipt: ReceiptDocument, layout: ReceiptLayout): Buffer {
  const { columns } = layout;
  const out = new EscPosBuilder(layout.codePage).init().align("center").bold(true);
  // Double width where the name fits in half the line; a longer name prints whole at normal size.
  const large = out.width(receipt.studioName) <= Math.floor(columns / 2);
  out.large(large).line(receipt.studioName.slice(0, columns)).large(false).bold(false);
  for (const line of receipt.studioAddress) out.line(line.slice(0, columns));
  out.line().bold(true).large(true).line(receipt.title).large(false);
  for (const notice of receipt.notices) out.line(notice.slice(0, columns));
  out.bold(false).line().align("left");
  for (const line of receipt.rows) {
    if (line.strong) out.bold(true);
    row(out, line.label, line.value, columns);
    if (line.strong) out.bold(false);
  }
  out.line().align("center").line(receipt.recordLabel).line(receipt.recordId).qr(receipt.recordId).line();
  return out.line(receipt.thanks).feed(3).cut().bytes();
}
