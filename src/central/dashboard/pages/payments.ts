import { METHOD_TYPES } from "../../../payments/payment-method.js";
import { RECORD_KINDS } from "../../../payments/payment-record.js";
import { displayAmount } from "../fleet/money-text.js";
import { filterQuery, type PaymentFilter } from "../fleet/payment-filter.js";
import type { PaymentTotal } from "../fleet/payment-queries.js";
import type { PaymentRow } from "../fleet/payments-csv.js";
import { html, type SafeHtml } from "../html.js";
import { layout, type Notice, type Viewer } from "../view/layout.js";
import { recordsTable } from "./records-table.js";

const select = (name: string, label: string, options: readonly string[], value: string | null): SafeHtml =>
  html`<div><label for="f-${name}">${label}</label><select id="f-${name}" name="${name}"><option value="">all</option>${options.map(
    (option) => html`<option${option === value ? html` selected` : html``}>${option}</option>`,
  )}</select></div>`;

/** Payments across the fleet: filters, totals per kind and currency, the newest records, CSV export. */
export function paymentsPage(options: {
  viewer: Viewer;
  filter: PaymentFilter;
  kiosks: readonly string[];
  rows: readonly PaymentRow[];
  totals: readonly PaymentTotal[];
  limit: number;
  notice?: Notice | null;
}): SafeHtml {
  const { filter, rows, totals } = options;
  const count = totals.reduce((sum, total) => sum + total.count, 0);
  const query = filterQuery(filter);
  const body = html`<h1>Payments</h1>
<section class="card">
<form method="get" action="/payments" class="filters" data-test="payment-filters">
  <div><label for="f-q">Invoice or client</label><input id="f-q" type="search" name="q" maxlength="80" value="${filter.search ?? ""}" data-test="payment-search" placeholder="A-1042 or Müller"></div>
  ${filter.studio ? html`<input type="hidden" name="studio" value="${filter.studio}"><div class="muted small">Studio: ${filter.studio}</div>` : html``}
  <div><label for="f-from">Payment date from</label><input id="f-from" type="date" name="from" value="${filter.from ?? ""}"></div>
  <div><label for="f-to">to</label><input id="f-to" type="date" name="to" value="${filter.to ?? ""}"></div>
  ${select("kiosk", "Kiosk", options.kiosks, filter.deviceId)}
  ${select("method", "Method", METHOD_TYPES, filter.method)}
  ${select("kind", "Kind", RECORD_KINDS, filter.kind)}
  <button type="submit" data-test="apply-filters">Show</button>
  <a href="/payments">Clear</a>
  <a href="/payments.csv${query ? `?${query}` : ""}" data-test="csv-export" download>Export CSV</a>
</form>
</section>
<section class="card"><h2>Totals</h2>${
    totals.length === 0
      ? html`<p class="muted">No records match.</p>`
      : html`<table data-test="totals"><thead><tr><th>Kind</th><th>Currency</th><th class="num">Records</th><th class="num">Completed amount</th></tr></thead><tbody>${totals.map(
          (total) =>
            html`<tr data-test="total" data-kind="${total.kind}" data-currency="${total.currency}"><td>${total.kind}</td><td>${total.currency}</td><td class="num">${total.count}</td><td class="num" data-test="total-amount">${displayAmount(total.completedMinor, total.currency)}</td></tr>`,
        )}</tbody></table>`
  }</section>
<section class="card"><h2>Records</h2>
<p class="muted small" data-test="records-count" data-value="${count}">${count} record(s) match${count > options.limit ? `; the newest ${options.limit} are shown — the CSV export has them all` : ""}. Dates are the studio's payment dates and times are in each kiosk's studio time zone; an uncollected future payment has none and shows only without a date filter.</p>
${recordsTable(rows, { showKiosk: true })}
</section>`;
  return layout({
    title: "Payments",
    viewer: options.viewer,
    section: "payments",
    body,
    notice: options.notice ?? null,
  });
}
