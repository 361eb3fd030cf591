import type { CreditedInvoice } from "../../balances/account-queries.js";
import { displayAmount } from "../fleet/money-text.js";
import { html, type SafeHtml } from "../html.js";
import { formatTime } from "../view/format.js";
import { layout, type Viewer } from "../view/layout.js";

/**
 * Invoices paid beyond their total — two kiosks that both collected the balance while apart, or a
 * deposit in Spectra on top of a kiosk payment. Never netted away: staff refund or apply each credit.
 */
export function creditsPage(options: {
  viewer: Viewer;
  invoices: readonly CreditedInvoice[];
  limit: number;
}): SafeHtml {
  const body = html`<h1>Credits</h1>
<section class="card">
<p class="muted small">Invoices whose payments — at every kiosk and in Spectra — exceed their total. Central counts each payment once; the credit stays here, and on every kiosk's staff screen, until a refund settles it. The newest ${options.limit} are shown.</p>
</section>
<section class="card">${
    options.invoices.length === 0
      ? html`<p class="muted" data-test="no-credits">No invoice is paid beyond its total.</p>`
      : html`<table data-test="credits"><thead><tr><th>Invoice</th><th>Client</th><th>Total</th><th>Paid</th><th>Refunded</th><th>Credit</th><th>Taken at</th><th>Last change</th></tr></thead><tbody>${options.invoices.map(
          (invoice) => html`<tr data-test="credit" data-invoice="${invoice.invoiceId}">
<td>${invoice.number}</td><td>${invoice.clientName}</td>
<td>${displayAmount(invoice.totalMinor, invoice.currency)}</td><td>${displayAmount(invoice.paidMinor, invoice.currency)}</td>
<td>${displayAmount(invoice.refundedMinor, invoice.currency)}</td>
<td class="bad" data-test="credit-amount"><strong>${displayAmount(invoice.creditMinor, invoice.currency)}</strong></td>
<td class="small">${invoice.takenBy.join(", ")}</td><td class="small">${formatTime(invoice.changedAt)}</td></tr>`,
        )}</tbody></table>`
  }</section>`;
  return layout({ title: "Credits", viewer: options.viewer, section: "credits", body });
}
