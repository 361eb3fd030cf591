import type { Alert, AlertHistoryEntry } from "../../alerts/alert-store.js";
import { ALERT_RULE_LABELS } from "../../alerts/rules.js";
import type { KioskSummary } from "../fleet/fleet-queries.js";
import { html, type SafeHtml } from "../html.js";
import { asOfNote } from "./as-of.js";
import { formatAgo, formatDuration, formatTime } from "./format.js";

const kioskCell = (deviceId: string): SafeHtml =>
  html`<a href="/kiosks/${encodeURIComponent(deviceId)}"><b>${deviceId}</b></a>`;

/**
 * Whether an open alert still describes the kiosk now: the offline alert does; the others come from
 * telemetry, which for a kiosk that is offline is as of its last report (said so, with the time).
 */
function openNote(alert: Alert, kiosk: KioskSummary | undefined): SafeHtml {
  if (alert.rule === "offline" || !kiosk) return html``;
  return asOfNote(kiosk);
}

/** Open alerts: what holds, on which kiosk, since when. */
export function openAlertsTable(
  alerts: readonly Alert[],
  options: { now: Date; kiosks: ReadonlyMap<string, KioskSummary>; showKiosk: boolean },
): SafeHtml {
  if (alerts.length === 0) return html`<p class="muted" data-test="no-open-alerts">No open alerts.</p>`;
  return html`<table data-test="open-alerts"><thead><tr>${options.showKiosk ? html`<th>Kiosk</th>` : html``}<th>Alert</th><th>Raised</th><th>Open for</th><th>Detail</th></tr></thead><tbody>${alerts.map(
    (alert) => html`<tr data-test="open-alert" data-kiosk="${alert.deviceId}" data-rule="${alert.rule}">
${options.showKiosk ? html`<td>${kioskCell(alert.deviceId)}</td>` : html``}
<td><span class="badge bad">${ALERT_RULE_LABELS[alert.rule]}</span></td>
<td class="small">${formatTime(alert.raisedAt)}</td>
<td class="small">${formatAgo(alert.raisedAt, options.now).replace(/ ago$/, "")}</td>
<td class="small">${alert.detail}${openNote(alert, options.kiosks.get(alert.deviceId))}</td></tr>`,
  )}</tbody></table>`;
}

const NOTIFICATION_BADGE = { sent: "ok", failed: "bad", pending: "warn" } as const;

function notifications(entry: AlertHistoryEntry): SafeHtml {
  if (entry.notifications.length === 0) return html`<span class="muted">—</span>`;
  return html`${entry.notifications.map(
    (sent) =>
      html`<span class="badge ${NOTIFICATION_BADGE[sent.outcome]}" data-test="notification" data-value="${sent.event}-${sent.channel}-${sent.outcome}" title="${sent.error ?? (sent.outcome === "pending" ? "waiting to be sent" : `${sent.attempts} attempt(s)`)}">${sent.event} · ${sent.channel} ${sent.outcome}</span> `,
  )}`;
}

function lasted(entry: AlertHistoryEntry, now: Date): SafeHtml {
  if (entry.clearedAt === null)
    return html`<span class="badge bad" data-test="alert-state" data-value="open">open</span> <span class="muted small">${formatAgo(entry.raisedAt, now).replace(/ ago$/, "")}</span>`;
  const seconds = Math.max(0, Math.round((Date.parse(entry.clearedAt) - Date.parse(entry.raisedAt)) / 1000));
  return html`<span class="badge ok" data-test="alert-state" data-value="cleared">cleared</span> <span class="muted small">${formatTime(entry.clearedAt)} · lasted ${formatDuration(seconds)}</span>`;
}

/** Every alert, newest first, with when it cleared and what was sent about it. */
export function alertHistoryTable(
  entries: readonly AlertHistoryEntry[],
  options: { now: Date; showKiosk: boolean },
): SafeHtml {
  if (entries.length === 0) return html`<p class="muted" data-test="no-alert-history">No alerts yet.</p>`;
  return html`<table data-test="alert-history"><thead><tr>${options.showKiosk ? html`<th>Kiosk</th>` : html``}<th>Alert</th><th>Raised</th><th>State</th><th>Detail</th><th>Sent</th></tr></thead><tbody>${entries.map(
    (
      entry,
    ) => html`<tr data-test="alert-entry" data-kiosk="${entry.deviceId}" data-rule="${entry.rule}" data-alert="${entry.id}">
${options.showKiosk ? html`<td>${kioskCell(entry.deviceId)}</td>` : html``}
<td>${ALERT_RULE_LABELS[entry.rule]}</td>
<td class="small">${formatTime(entry.raisedAt)}</td>
<td>${lasted(entry, options.now)}</td>
<td class="small">${entry.detail}</td>
<td>${notifications(entry)}</td></tr>`,
  )}</tbody></table>`;
}
