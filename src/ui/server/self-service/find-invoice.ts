import type { Invoice } from "../../../payments/invoice.js";
import { invoiceAccount } from "../../../payments/invoice-account.js";
import type { KioskStore } from "../../../store/kiosk-store.js";
import type { InvoiceView } from "../../flows/self-service/screens.js";

/** The invoice as the client sees it, with where it stands from the records on this kiosk. */
export function invoiceView(store: KioskStore, invoice: Invoice): InvoiceView {
  const account = invoiceAccount(invoice, store.records.forInvoice(invoice.id));
  return {
    id: invoice.id,
    number: invoice.number,
    clientName: `${invoice.client.firstName} ${invoice.client.lastName}`.trim(),
    lines: invoice.lines.map((line) => ({
      description: line.description,
      quantity: line.quantity,
      amount: { minor: line.amountMinor, currency: invoice.currency },
    })),
    total: account.total,
    paid: account.paid,
    balance: account.balance,
    payable: account.payable,
  };
}

/**
 * Self-service lookup: the invoice number with the client's last name, or (a scanned code printed
 * on the invoice) the number alone. Null when nothing matches: the screen says so without telling
 * which of the two was wrong.
 */
export function findInvoice(
  store: KioskStore,
  invoiceNumber: string,
  lastName: string | null,
): InvoiceView | null {
  const invoice =
    lastName === null
      ? store.invoices.findByNumber(invoiceNumber)
      : store.invoices.find(invoiceNumber, lastName);
  return invoice ? invoiceView(store, invoice) : null;
}
