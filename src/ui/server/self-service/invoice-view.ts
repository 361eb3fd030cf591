import type { FoundInvoice } from "../../../checkout/checkout-types.js";
import type { InvoiceView } from "../../flows/self-service/screens.js";

/** The invoice as the client sees it, with where it stands from the records on this kiosk. */
export function invoiceView({ invoice, account }: FoundInvoice): InvoiceView {
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
