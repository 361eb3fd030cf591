import { displayAmount } from "../fleet/money-text.js";
import type { PaymentRow } from "../fleet/payments-csv.js";
import { html, type SafeHtml } from "../html.js";
import { formatTime } from "../view/format.js";

const methodDetail = (row: PaymentRow): string => {
  const method = row.method as Record<string, unknown>;
  if (typeof method.maskedPan === "string")
    return `${String(method.cardType ?? method.brand ?? "card")} ${method.maskedPan}`;
  if (typeof method.checkNumber === "string") return `check #${method.checkNumber}`;
  return "";
};

/** Payment records as a table (the payments page and a kiosk's recent records). */
export function recordsTable(rows: readonly PaymentRow[], options: { showKiosk: boolean }): SafeHtml {
  if (rows.length === 0) return html`<p class="muted" data-test="no-records">No records.</p>`;
  return html`<table data-test="records">
<thead><tr><th>Created (studio time)</th>${options.showKiosk ? html`<th>Kiosk</th>` : html``}<th>Kind</th><th>Status</th><th>Invoice</th><th>Client</th><th>Payment date</th><th>Method</th><th class="num">Amount</th></tr></thead>
<tbody>${rows.map(
    (row) => html`<tr data-test="record-row" data-record="${row.id}">
<td class="small" data-test="created">${formatTime(row.created_at, row.time_zone ?? null)}</td>
${options.showKiosk ? html`<td><a href="/kiosks/${encodeURIComponent(row.device_id)}">${row.device_id}</a></td>` : html``}
<td>${row.kind}</td><td>${row.status}${row.revision > 1 ? html` <span class="muted small">rev ${row.revision}</span>` : html``}</td>
<td data-test="invoice">${row.invoice_number}</td><td data-test="client">${row.client_name ?? html`<span class="muted">${row.client_id}</span>`}</td><td>${row.payment_date ?? html`<span class="muted">${row.future_payment ? `due ${row.due_date ?? "?"}` : "—"}</span>`}</td>
<td>${row.method_name} <span class="muted small">${methodDetail(row)}</span></td>
<td class="num" data-test="amount">${row.kind === "refund" ? "−" : ""}${displayAmount(row.amount_minor, row.currency)}</td>
</tr>`,
  )}</tbody>
</table>`;
}
