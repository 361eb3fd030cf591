import { commandStatus, statusMayChange } from "../fleet/command-status.js";
import type { CommandView } from "../fleet/kiosk-queries.js";
import { html, type SafeHtml } from "../html.js";
import { outcomeBadge } from "../view/badges.js";
import { commandStatusBadge } from "../view/command-status-badge.js";
import { formatTime } from "../view/format.js";
import { layout, type Notice, type Viewer } from "../view/layout.js";

/** Whether the page should keep reloading: queued or delivered, or accepted and not expired. */
export function awaitingAnswer(command: CommandView, now: Date): boolean {
  return statusMayChange(command, now);
}

/** One command: what was sent, whether it went out, and everything the kiosk answered. */
export function commandPage(options: {
  viewer: Viewer;
  command: CommandView;
  now: Date;
  notice?: Notice | null;
}): SafeHtml {
  const { command } = options;
  const body = html`<h1 data-test="command" data-command="${command.commandId}"><code>${command.name}</code> for <a href="/kiosks/${encodeURIComponent(command.deviceId)}">${command.deviceId}</a></h1>
<div class="grid">
<section class="card"><h2>Signed</h2><table>
<tr><th>Command id</th><td><code data-test="command-id">${command.commandId}</code></td></tr>
<tr><th>Arguments</th><td><code>${JSON.stringify(command.args)}</code></td></tr>
<tr><th>Issued</th><td>${formatTime(command.issuedAt)} by ${command.issuedBy}</td></tr>
<tr><th>Expires</th><td>${formatTime(command.expiresAt)}</td></tr>
<tr><th>Status</th><td data-test="answer">${commandStatusBadge(commandStatus(command, options.now))}</td></tr>
<tr><th>Delivered</th><td data-test="delivered-at">${command.deliveredAt ? formatTime(command.deliveredAt) : "not yet"}</td></tr>
</table></section>
<section class="card"><h2>The kiosk's results</h2>${
    command.results.length === 0
      ? html`<p class="muted">None yet.${awaitingAnswer(command, options.now) ? " This page reloads until the kiosk answers or the command expires." : ""}</p>`
      : html`<table data-test="results"><thead><tr><th>At</th><th>Outcome</th><th>Code</th><th>Detail</th></tr></thead><tbody>${command.results.map(
          (
            result,
          ) => html`<tr data-test="result" data-outcome="${result.outcome}"><td class="small">${formatTime(result.at)}</td><td>${outcomeBadge(result.outcome)}</td><td>${result.code ? html`<code>${result.code}</code>` : "—"}</td><td>${result.detail ?? "—"}</td></tr>
${result.data ? html`<tr><td colspan="4"><details open><summary>Data</summary><pre data-test="result-data">${JSON.stringify(result.data, null, 2)}</pre></details></td></tr>` : html``}`,
        )}</tbody></table>`
  }</section>
</div>`;
  return layout({
    title: `${command.name} · ${command.deviceId}`,
    viewer: options.viewer,
    section: "kiosks",
    body,
    notice: options.notice ?? null,
  });
}
