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
          ? html`<code class="small">${JSON.stringify(entry.detail.args)}</code>`
          : html``
      }`;
    case "desired-config":
      return html`configuration v${String(entry.detail.version)} <code class="small">${JSON.stringify(entry.detail.settings)}</code>`;
    case "sign-in":
    case "sign-out":
    case "sign-in-refused":
      return html`${entry.action}${entry.detail.reason ? html` <span class="muted small">${String(entry.detail.reason)}</span>` : html``}`;
  }
}

/** Who did what to which kiosk, when: every command and configuration push, and every sign-in. */
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
    : html`<table data-test="audit"><thead><tr><th>When</th><th>Who</th><th>Action</th><th>Kiosk</th><th>What</th><th>Command id</th><th>Delivery</th></tr></thead><tbody>${options.entries.map(
        (
          entry,
        ) => html`<tr data-test="audit-entry" data-action="${entry.action}" data-command="${entry.commandId ?? ""}">
<td class="small">${formatTime(entry.at)}</td><td>${entry.userName}</td><td>${entry.action}</td>
<td>${entry.deviceId ? html`<a href="/kiosks/${encodeURIComponent(entry.deviceId)}">${entry.deviceId}</a>` : "—"}</td>
<td>${what(entry)}</td>
<td>${entry.commandId ? html`<a href="/commands/${entry.commandId}"><code class="small">${entry.commandId}</code></a>` : "—"}</td>
<td>${deliveryOf(entry)}</td></tr>`,
      )}</tbody></table>`
}</section>`;
  return layout({ title: "Audit log", viewer: options.viewer, section: "audit", body });
}
