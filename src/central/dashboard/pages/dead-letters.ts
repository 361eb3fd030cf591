import type { DeadLetterView } from "../fleet/dead-letter-queries.js";
import { html, type SafeHtml } from "../html.js";
import { formatTime } from "../view/format.js";
import { layout, type Viewer } from "../view/layout.js";

/** What ingest refused: malformed, oversized or spoofed messages, conflicting or invalid records. */
export function deadLettersPage(options: {
  viewer: Viewer;
  letters: readonly DeadLetterView[];
  codes: readonly string[];
  kiosks: readonly string[];
  deviceId: string | null;
  code: string | null;
  recordsOnly: boolean;
  limit: number;
}): SafeHtml {
  const choice = (name: string, label: string, values: readonly string[], value: string | null) =>
    html`<div><label for="d-${name}">${label}</label><select id="d-${name}" name="${name}"><option value="">all</option>${values.map(
      (option) => html`<option${option === value ? html` selected` : html``}>${option}</option>`,
    )}</select></div>`;
  const body = html`<h1>Dead letters</h1>
<section class="card">
<form method="get" action="/dead-letters" class="filters">
${choice("kiosk", "Kiosk", options.kiosks, options.deviceId)}
${choice("code", "Code", options.codes, options.code)}
<div><label><input type="checkbox" name="records" value="1"${options.recordsOnly ? html` checked` : html``}> refused records only</label></div>
<button type="submit">Show</button> <a href="/dead-letters">Clear</a>
</form>
<p class="muted small">Messages and records central could not take, kept with why. A refused record was acknowledged to its kiosk as rejected (or a conflict) with this code, and the kiosk lists it for staff. Card numbers and track data were removed before they were stored. The newest ${options.limit} are shown.</p>
</section>
<section class="card">${
    options.letters.length === 0
      ? html`<p class="muted" data-test="no-dead-letters">No dead letters.</p>`
      : html`<table data-test="dead-letters"><thead><tr><th>Received</th><th>Code</th><th>Kiosk</th><th>Record</th><th>Reason</th></tr></thead><tbody>${options.letters.map(
          (letter) => html`<tr data-test="dead-letter" data-code="${letter.code}">
<td class="small">${formatTime(letter.receivedAt)}</td><td><code>${letter.code}</code></td><td>${letter.deviceId ?? "—"}</td>
<td class="small" data-test="dead-letter-record">${letter.recordId ? html`<code>${letter.recordId}</code> rev ${letter.revision ?? "?"}` : "—"}</td>
<td>${letter.reason}<details><summary>${letter.topic} · ${letter.payloadBytes} bytes</summary><pre>${letter.excerpt}</pre></details></td></tr>`,
        )}</tbody></table>`
  }</section>`;
  return layout({ title: "Dead letters", viewer: options.viewer, section: "dead-letters", body });
}
