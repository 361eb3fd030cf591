import type { FoundInvoice } from "../../../checkout/checkout-types.js";
import type { InvoiceView } from "../../flows/self-service/screens.js";

/**
 * How current the kiosk's balances are: null while it is connected to central (payments elsewhere
 * reach it within a second); offline, since when (null: unknown).
 */
export type BalanceAge = { readonly offlineSince: string | null } | null;

/**
 * The invoice as the client sees it, with where it stands from this kiosk's records and what central
 * said was paid elsewhere; offline, how old that is (the newer of the disconnection and central's word).
 */
export function invoiceView({ invoice, account }: FoundInvoice, age: BalanceAge = null): InvoiceView {
  const asOf = age ? { at: newest(age.offlineSince, account.elsewhereAsOf) } : null;
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
    ...(asOf ? { balanceAsOf: asOf } : {}),
  };
}

function newest(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return Date.parse(a) >= Date.parse(b) ? a : b;
}
