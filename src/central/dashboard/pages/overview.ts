import { HEALTH_COLUMNS, healthOf, type KioskSummary } from "../fleet/fleet-queries.js";
import { html, type SafeHtml } from "../html.js";
import { asOfNote, deviceHealth, isCurrent, reportedAt } from "../view/as-of.js";
import { stateBadge } from "../view/badges.js";
import { formatAgo, formatDuration, formatTime } from "../view/format.js";
import { layout, type Notice, type Viewer } from "../view/layout.js";

function waiting(kiosk: KioskSummary): SafeHtml {
  const outbox = kiosk.telemetry?.outbox;
  if (!outbox) return html`<span class="muted">—</span>`;
  const age = outbox.oldestUnsyncedAgeSeconds;
  return html`<span data-test="records-waiting" data-value="${outbox.depth}">${outbox.depth}</span>${
    age === null ? html`` : html` <span class="muted small">oldest ${formatDuration(age)}</span>`
  }${asOfNote(kiosk)}`;
}

/** "Out of service" when the kiosk's latest telemetry says it is locked, with who and why. */
function lockBadge(kiosk: KioskSummary): SafeHtml {
  const lock = kiosk.telemetry?.lock;
  if (!lock?.locked) return html``;
  return html` <span class="badge warn" data-test="locked" title="${lock.by ?? ""}">out of service</span> <span class="muted small">${lock.reason ?? ""}</span>${asOfNote(kiosk)}`;
}

/** When an offline kiosk went away: the time its Last Will (or its own goodbye) arrived. */
function offlineSince(kiosk: KioskSummary, now: Date): SafeHtml {
  if (kiosk.state !== "offline" || kiosk.stateChangedAt === null) return html``;
  return html` <span class="muted small" data-test="offline-since">${kiosk.stateReason ?? ""} · offline for ${formatAgo(kiosk.stateChangedAt, now).replace(/ ago$/, "")}</span>`;
}

function row(kiosk: KioskSummary, now: Date): SafeHtml {
  return html`<tr data-test="kiosk-row" data-kiosk="${kiosk.deviceId}" data-state="${kiosk.state}"${isCurrent(kiosk) ? html`` : html` class="stale" title="as of ${formatTime(reportedAt(kiosk), kiosk.reportedConfig?.studio?.timeZone ?? null)}"`}>
  <td><a href="/kiosks/${encodeURIComponent(kiosk.deviceId)}"><b>${kiosk.deviceId}</b></a></td>
  <td>${stateBadge(kiosk.state)}${offlineSince(kiosk, now)}${lockBadge(kiosk)}</td>
  <td title="${formatTime(kiosk.lastSeenAt, kiosk.reportedConfig?.studio?.timeZone ?? null)}" data-test="last-seen">${formatAgo(kiosk.lastSeenAt, now)}</td>
  <td>${kiosk.telemetry?.softwareVersion ?? "—"}</td>
  <td>${waiting(kiosk)}</td>
  ${HEALTH_COLUMNS.map(({ device }) => html`<td data-device="${device}">${deviceHealth(kiosk, healthOf(kiosk.telemetry, device))}</td>`)}
  <td>${kiosk.reportedConfig?.version != null ? html`v${kiosk.reportedConfig.version}` : html`<span class="muted">local</span>`}${
    kiosk.reportedConfig?.refused
      ? html` <span class="badge bad">v${kiosk.reportedConfig.refused.version} refused</span>`
      : html``
  }</td>
</tr>`;
}

/** Kiosks at a glance: availability, backlog, versions and device health. */
export function overviewPage(options: {
  viewer: Viewer;
  kiosks: readonly KioskSummary[];
  now: Date;
  notice?: Notice | null;
}): SafeHtml {
  const { kiosks, now } = options;
  const count = (state: KioskSummary["state"]) => kiosks.filter((kiosk) => kiosk.state === state).length;
  const waitingTotal = kiosks.reduce((sum, kiosk) => sum + (kiosk.telemetry?.outbox.depth ?? 0), 0);
  const body = html`<h1>Kiosks</h1>
<div class="summary">
  <div class="tile"><span class="muted">Online</span><b data-test="count-online">${count("online")}</b></div>
  <div class="tile"><span class="muted">Offline</span><b data-test="count-offline">${count("offline")}</b></div>
  <div class="tile"><span class="muted">Never reported state</span><b>${count("unknown")}</b></div>
  <div class="tile"><span class="muted">Records waiting</span><b>${waitingTotal}</b></div>
  ${
    options.viewer.openAlerts === null || options.viewer.openAlerts === undefined
      ? html``
      : html`<a class="tile" href="/alerts" data-test="overview-alerts"><span class="muted">Open alerts</span><b data-test="count-alerts" class="${options.viewer.openAlerts > 0 ? "alerting" : ""}">${options.viewer.openAlerts}</b></a>`
  }
</div>
<section class="card">
${
  kiosks.length === 0
    ? html`<p class="muted">No kiosk has connected yet.</p>`
    : html`<table data-test="kiosks">
<thead><tr><th>Kiosk</th><th>State</th><th>Last seen</th><th>Version</th><th>Records waiting</th>${HEALTH_COLUMNS.map(
        ({ label }) => html`<th>${label}</th>`,
      )}<th>Config</th></tr></thead>
<tbody>${kiosks.map((kiosk) => row(kiosk, now))}</tbody>
</table>`
}
<p class="muted small">Online and offline come from each kiosk's retained state and its Last Will; the rest from its latest telemetry. For an offline kiosk that is as of its last report (shown greyed, with the time): its devices read "unknown (offline)", and "last seen" is the last message the kiosk itself sent. This page reloads every 10 seconds.</p>
</section>`;
  return layout({
    title: "Kiosks",
    viewer: options.viewer,
    section: "kiosks",
    body,
    notice: options.notice ?? null,
  });
}
