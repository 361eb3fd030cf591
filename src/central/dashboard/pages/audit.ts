import type { AuditView } from "../control/audit-log.js";
import { isDeliveryState } from "../fleet/command-status.js";
import { html, type SafeHtml } from "../html.js";
import { type Delivery, deliveryBadge } from "../view/badges.js";
import { commandDeliveryBadge } from "../view/command-status-badge.js";
import { formatTime } from "../view/format.js";
import { layout, type Viewer } from "../view/layout.js";

const CONFIG_DELIVERIES = new Set<string>(["sending", "sent", "broker-unreachable"]);

function deliveryOf(entry: AuditView): SafeHtml {
  if (entry.delivery === null) return html`—`;
  if (entry.action === "command")
    return isDeliveryState(entry.delivery) ? commandDeliveryBadge(entry.delivery) : html`—`;
  return CONFIG_DELIVERIES.has(entry.delivery) ? deliveryBadge(entry.delivery as Delivery) : html`—`;
}

function what(entry: AuditView): SafeHtml {
  switch (entry.action) {
    case "command":
      return html`<code>${String(entry.detail.name)}</code> ${
        entry.detail.args && Object.keys(entry.detail.args as object).length
          ? json(entry.detail.args)
          : html``
      }`;
    case "desired-config":
      return html`configuration v${String(entry.detail.version)} ${json(entry.detail.settings)}`;
    case "dead-letter-replay":
      return html`dead letter <a href="/dead-letters?status=all#letter-${String(entry.detail.letterId)}">#${String(entry.detail.letterId)}</a> replayed: ${String(entry.detail.result)}${entry.detail.code ? html` <code>${String(entry.detail.code)}</code>` : html``}`;
    case "dead-letter-dismiss":
      return html`dead letter <a href="/dead-letters?status=all#letter-${String(entry.detail.letterId)}">#${String(entry.detail.letterId)}</a> dismissed <span class="muted small">${String(entry.detail.reason)}</span>`;
    case "placement":
      return html`studio <b>${String(entry.detail.studio ?? "none")}</b>, tags <code class="small">${JSON.stringify(entry.detail.tags ?? [])}</code>${
        entry.detail.before
          ? html` <span class="muted small">was ${JSON.stringify(entry.detail.before)}</span>`
          : html``
      }`;
    case "group-action":
      return html`<a href="/groups/actions/${encodeURIComponent(String(entry.detail.actionId))}">${String(entry.detail.kind)} to ${String(entry.detail.group)}</a> <code class="small">${JSON.stringify(entry.detail.content)}</code> <span class="muted small">${String(entry.detail.kiosks)} kiosk(s)</span>`;
    case "sign-in":
    case "sign-out":
    case "sign-in-refused":
      return html`${entry.action}${entry.detail.reason ? html` <span class="muted small">${String(entry.detail.reason)}</span>` : html``}${entry.detail.address ? html` <span class="muted small">from ${String(entry.detail.address)}</span>` : html``}`;
    case "user-added":
      return html`added <b>${String(entry.detail.user)}</b> as ${String(entry.detail.role)}`;
    case "user-role":
      return html`<b>${String(entry.detail.user)}</b>: ${String(entry.detail.from)} → ${String(entry.detail.to)}`;
    case "user-removed":
      return html`removed <b>${String(entry.detail.user)}</b> (${String(entry.detail.role)}; ${String(entry.detail.sessionsEnded)} sessions ended)`;
    case "access-refused":
      return html`<code>${String(entry.detail.method)} ${String(entry.detail.path)}</code> <span class="muted small">needs ${String(entry.detail.needed)}, is ${String(entry.detail.role)}</span>`;
    default:
      // An action this page does not know yet: its detail as it was written.
      return json(entry.detail);
  }
}

/** JSON longer than this shows its start, and the whole of it one click away. */
const SHOWN_CHARACTERS = 160;

/** A JSON value in the What column: wrapped inside the cell, long ones folded. */
function json(value: unknown): SafeHtml {
  const text = JSON.stringify(value) ?? "";
  if (text.length <= SHOWN_CHARACTERS) return html`<code class="small wrap">${text}</code>`;
  return html`<details class="detail"><summary><code class="small wrap">${text.slice(0, SHOWN_CHARACTERS - 40)}…</code></summary><pre class="small">${JSON.stringify(value, null, 2)}</pre></details>`;
}

/** Who did what to which kiosk, when: every command and configuration push, every sign-in and user change. */
export function auditPage(options: {
  viewer: Viewer;
  entries: readonly AuditView[];
  deviceId: string | null;
  limit: number;
}): SafeHtml {
  const body = html`<h1>Audit log${options.deviceId ? html` · ${options.deviceId}` : html``}</h1>
<section class="card">
<p class="muted small">The newest ${options.limit} entries. Commands and configurations are written here before they are sent.</p>
${
  options.entries.length === 0
    ? html`<p class="muted">Nothing yet.</p>`
    : html`<div class="table-scroll"><table class="audit" data-test="audit"><colgroup><col class="when"><col class="who"><col class="action"><col class="kiosk"><col class="what"><col class="delivery"></colgroup>
<thead><tr><th>When</th><th>Who</th><th>Action</th><th>Kiosk</th><th>What</th><th>Delivery</th></tr></thead><tbody>${options.entries.map(
        (
          entry,
        ) => html`<tr data-test="audit-entry" data-action="${entry.action}" data-command="${entry.commandId ?? ""}">
<td class="small">${formatTime(entry.at)}</td><td>${entry.userName}</td><td>${entry.action}</td>
<td>${entry.deviceId ? html`<a href="/kiosks/${encodeURIComponent(entry.deviceId)}">${entry.deviceId}</a>` : "—"}</td>
<td>${what(entry)}${entry.commandId ? html`<div class="small">command <a href="/commands/${entry.commandId}"><code>${entry.commandId}</code></a></div>` : html``}</td>
<td>${deliveryOf(entry)}</td></tr>`,
      )}</tbody></table></div>`
}</section>`;
  return layout({ title: "Audit log", viewer: options.viewer, section: "audit", body });
}
