import { DISMISS_REASON_MAX } from "../control/dead-letter-desk.js";
import type { DeadLetterStatusFilter, DeadLetterView } from "../fleet/dead-letter-queries.js";
import { html, type SafeHtml } from "../html.js";
import { formatTime } from "../view/format.js";
import { csrfField, layout, may, type Notice, type Viewer } from "../view/layout.js";

const STATUS_LABELS: Record<DeadLetterStatusFilter, string> = {
  open: "open (needs someone)",
  resolved: "replayed or dismissed",
  all: "all",
};

/** Replay and Dismiss for an open letter; who resolved it, when and how, for the others. */
function resolution(viewer: Viewer, letter: DeadLetterView): SafeHtml {
  const tried =
    letter.replayAttempts > 0
      ? html`<p class="muted small" data-test="replay-attempts">Replayed ${letter.replayAttempts} time${letter.replayAttempts === 1 ? "" : "s"}, last ${formatTime(letter.lastReplayAt)}; still refused.</p>`
      : html``;
  if (letter.status === "replayed")
    return html`<span class="badge ok" data-test="letter-status">replayed</span><p class="muted small">by ${letter.resolvedBy ?? "?"}, ${formatTime(letter.resolvedAt)}</p>`;
  if (letter.status === "dismissed")
    return html`<span class="badge none" data-test="letter-status">dismissed</span><p class="muted small">by ${letter.resolvedBy ?? "?"}, ${formatTime(letter.resolvedAt)}: <span data-test="letter-resolution">${letter.resolution ?? ""}</span></p>`;
  if (!may(viewer, "operator"))
    return html`<span class="badge warn" data-test="letter-status">open</span>${tried}<p class="muted small" data-test="role-note">Replaying or dismissing needs the operator role.</p>`;
  const base = `/dead-letters/${encodeURIComponent(letter.id)}`;
  const replay = letter.notReplayable
    ? html`<p class="muted small" data-test="not-replayable">Not replayable: ${letter.notReplayable}.</p>`
    : html`<form method="post" action="${base}/replay" class="letter-action">${csrfField(viewer)}<button type="submit" data-test="replay">Replay</button></form>`;
  return html`<span class="badge warn" data-test="letter-status">open</span>${tried}${replay}
<form method="post" action="${base}/dismiss" class="letter-action dismiss">${csrfField(viewer)}<label for="reason-${letter.id}">Reason to dismiss</label><input id="reason-${letter.id}" name="reason" required maxlength="${DISMISS_REASON_MAX}" placeholder="what was done about it" data-test="dismiss-reason"><button type="submit" class="secondary" data-test="dismiss">Dismiss</button></form>`;
}

/**
 * What ingest refused: malformed, oversized or spoofed messages, conflicting or invalid records —
 * open ones by default, each with Replay (after a fix) and Dismiss (with a reason).
 */
export function deadLettersPage(options: {
  viewer: Viewer;
  letters: readonly DeadLetterView[];
  codes: readonly string[];
  kiosks: readonly string[];
  deviceId: string | null;
  code: string | null;
  recordsOnly: boolean;
  status: DeadLetterStatusFilter;
  openCount: number;
  limit: number;
  notice?: Notice | null;
}): SafeHtml {
  const choice = (name: string, label: string, values: readonly string[], value: string | null) =>
    html`<div><label for="d-${name}">${label}</label><select id="d-${name}" name="${name}"><option value="">all</option>${values.map(
      (option) => html`<option${option === value ? html` selected` : html``}>${option}</option>`,
    )}</select></div>`;
  const statuses = Object.entries(STATUS_LABELS) as [DeadLetterStatusFilter, string][];
  const body = html`<h1>Dead letters <span class="muted small" data-test="open-count">${options.openCount} open</span></h1>
<section class="card">
<form method="get" action="/dead-letters" class="filters">
<div><label for="d-status">Status</label><select id="d-status" name="status">${statuses.map(
    ([value, label]) =>
      html`<option value="${value}"${value === options.status ? html` selected` : html``}>${label}</option>`,
  )}</select></div>
${choice("kiosk", "Kiosk", options.kiosks, options.deviceId)}
${choice("code", "Code", options.codes, options.code)}
<div><label><input type="checkbox" name="records" value="1"${options.recordsOnly ? html` checked` : html``}> refused records only</label></div>
<button type="submit">Show</button> <a href="/dead-letters">Clear</a>
</form>
<p class="muted small">Messages and records central could not take, kept with why. A refused record was acknowledged to its kiosk as rejected (or a conflict) with this code, and the kiosk lists it for staff. Once the cause is fixed, <b>Replay</b> runs it through ingest again with every check; if it is still refused it stays open with the new reason. <b>Dismiss</b> closes it with your reason. Both are in the audit log. Card numbers and track data were removed before they were stored. The newest ${options.limit} are shown.</p>
</section>
<section class="card">${
    options.letters.length === 0
      ? html`<p class="muted" data-test="no-dead-letters">No dead letters.</p>`
      : html`<table data-test="dead-letters" class="letters"><thead><tr><th>Received</th><th>Code</th><th>Kiosk</th><th>Record</th><th>Reason</th><th>Status</th></tr></thead><tbody>${options.letters.map(
          (
            letter,
          ) => html`<tr id="letter-${letter.id}" data-test="dead-letter" data-id="${letter.id}" data-code="${letter.code}" data-status="${letter.status}">
<td class="small">${formatTime(letter.receivedAt)}</td><td><code data-test="letter-code">${letter.code}</code></td><td>${letter.deviceId ?? "—"}</td>
<td class="small record" data-test="dead-letter-record">${letter.recordId ? html`<code>${letter.recordId}</code> rev ${letter.revision ?? "?"}` : "—"}</td>
<td><span data-test="letter-reason">${letter.reason}</span><details><summary>${letter.topic} · ${letter.payloadBytes} bytes</summary><pre>${letter.excerpt}</pre></details></td>
<td class="resolution">${resolution(options.viewer, letter)}</td></tr>`,
        )}</tbody></table>`
  }</section>`;
  return layout({
    title: "Dead letters",
    viewer: options.viewer,
    section: "dead-letters",
    body,
    notice: options.notice ?? null,
  });
}
