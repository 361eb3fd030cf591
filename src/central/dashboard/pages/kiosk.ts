import { LOG_LEVELS } from "../../../sync/protocol/command-args.js";
import type { Alert, AlertHistoryEntry } from "../../alerts/alert-store.js";
import { commandStatus } from "../fleet/command-status.js";
import type { KioskSummary } from "../fleet/fleet-queries.js";
import {
  CHART_RANGES,
  type ChartRange,
  type CommandView,
  type DesiredConfigView,
  type TelemetryPoint,
} from "../fleet/kiosk-queries.js";
import type { PaymentRow } from "../fleet/payments-csv.js";
import { html, type SafeHtml } from "../html.js";
import { alertHistoryTable, openAlertsTable } from "../view/alert-rows.js";
import { asOfNote, deviceHealth, isCurrent, reportedAt } from "../view/as-of.js";
import { deliveryBadge, stateBadge } from "../view/badges.js";
import { healthStrip, lineChart } from "../view/charts.js";
import { commandStatusBadge } from "../view/command-status-badge.js";
import { formatAgo, formatBytes, formatDuration, formatTime } from "../view/format.js";
import { csrfField, layout, may, type Notice, type Viewer } from "../view/layout.js";
import { computerCard, computerCharts } from "./kiosk-health.js";
import { placementCard } from "./placement-card.js";
import { recordsTable } from "./records-table.js";

export interface KioskPageData {
  readonly viewer: Viewer;
  readonly kiosk: KioskSummary;
  readonly records: readonly PaymentRow[];
  readonly range: ChartRange;
  readonly series: readonly TelemetryPoint[];
  readonly commands: readonly CommandView[];
  readonly desired: readonly DesiredConfigView[];
  /** Why commands cannot be signed now, if they cannot. */
  readonly commandsUnavailable: string | null;
  readonly now: Date;
  readonly notice?: Notice | null;
  /** The settings central may push, for the editor's hint. */
  readonly managedPaths: readonly string[];
  /** The editor's text to show again after a refused push. */
  readonly editorText?: string;
  /** The kiosk's open alerts and its latest ones. */
  readonly alerts: { readonly open: readonly Alert[]; readonly recent: readonly AlertHistoryEntry[] };
}

const kioskPath = (deviceId: string): string => `/kiosks/${encodeURIComponent(deviceId)}`;

/** The time zone of the kiosk's studio (reported with its configuration), for every time on its page. */
const zoneOf = (data: Pick<KioskPageData, "kiosk">): string | null =>
  data.kiosk.reportedConfig?.studio?.timeZone ?? null;

function statusCard(data: KioskPageData): SafeHtml {
  const { kiosk, now } = data;
  const zone = zoneOf(data);
  const t = kiosk.telemetry;
  const studio = kiosk.reportedConfig?.studio;
  const current = isCurrent(kiosk);
  const asOf = asOfNote(kiosk);
  const rows: [string, SafeHtml | string][] = [
    [
      "Studio",
      studio
        ? html`<a href="/end-of-day?${new URLSearchParams({ studio: studio.name }).toString()}">${studio.name}</a> <span class="muted small">${studio.timeZone}</span>`
        : "not reported",
    ],
    [
      "State",
      html`${stateBadge(kiosk.state)} <span class="muted small">${kiosk.stateReason ?? ""} since ${formatTime(kiosk.stateChangedAt, zone)}</span>`,
    ],
    [
      "Last seen",
      html`<span data-test="last-seen">${formatAgo(kiosk.lastSeenAt, now)} (${formatTime(kiosk.lastSeenAt, zone)})</span>`,
    ],
    ["Software", html`${t?.softwareVersion ?? "—"}${asOf}`],
    [current ? "Up for" : "Was up for", t ? html`${formatDuration(t.uptimeSeconds)}${asOf}` : "—"],
    [
      "Records waiting",
      t
        ? html`<span data-test="records-waiting" data-value="${t.outbox.depth}">${t.outbox.depth}</span>${
            t.outbox.oldestUnsyncedAgeSeconds === null
              ? ""
              : `, oldest ${formatDuration(t.outbox.oldestUnsyncedAgeSeconds)}`
          }${asOf}`
        : "—",
    ],
    ["Last sync", t?.lastSyncAt ? formatAgo(t.lastSyncAt, now) : "—"],
    ["Disk free", html`${formatBytes(t?.disk.freeBytes ?? null)}${t ? asOf : html``}`],
    ["Telemetry", kiosk.telemetryAt ? `${formatAgo(kiosk.telemetryAt, now)}` : "none yet"],
  ];
  return html`<section class="card${current ? "" : " stale"}"><h2>Status</h2>${
    current
      ? html``
      : html`<div class="notice warn" data-test="stale-notice">Offline: what follows is as of its last report, ${formatTime(reportedAt(kiosk), zoneOf({ kiosk }))}, not now.</div>`
  }<table>${rows.map(([label, value]) => html`<tr><th>${label}</th><td>${value}</td></tr>`)}</table></section>`;
}

function devicesCard({ kiosk }: KioskPageData): SafeHtml {
  const drivers = Object.entries(kiosk.telemetry?.drivers ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return html`<section class="card"><h2>Devices</h2>${
    drivers.length === 0
      ? html`<p class="muted">No device health reported yet.</p>`
      : html`<table>${drivers.map(
          ([device, health]) =>
            html`<tr data-test="device-health" data-device="${device}"><th>${device}</th><td>${deviceHealth(kiosk, health)}</td></tr>`,
        )}</table>`
  }</section>`;
}

function telemetryCard(data: KioskPageData): SafeHtml {
  const range = CHART_RANGES[data.range];
  const to = data.now.getTime();
  const from = to - range.seconds * 1000;
  const gapMs = range.bucketSeconds * 1000 * 2.5;
  const series = (pick: (point: TelemetryPoint) => number | null) =>
    data.series.map((point) => ({ at: point.at, value: pick(point) }));
  return html`<section class="card"><h2>Telemetry</h2>
<p class="range small">${(Object.keys(CHART_RANGES) as ChartRange[]).map(
    (key) =>
      html`<a href="${kioskPath(data.kiosk.deviceId)}?range=${key}" aria-current="${key === data.range ? "true" : "false"}">${CHART_RANGES[key].label}</a>`,
  )}</p>
<div class="charts">
${lineChart({ title: "Records waiting", testId: "chart-outbox", from, to, gapMs, points: series((p) => p.outboxDepth), format: (v) => String(Math.round(v)) })}
${lineChart({ title: "Oldest record waiting", testId: "chart-oldest", from, to, gapMs, points: series((p) => p.oldestUnsyncedAgeSeconds ?? 0), format: formatDuration })}
${lineChart({ title: "Disk free", testId: "chart-disk", from, to, gapMs, points: series((p) => p.diskFreeBytes), format: formatBytes })}
${healthStrip({ from, to, bucketMs: range.bucketSeconds * 1000, points: data.series })}
${computerCharts({ from, to, gapMs, bucketMs: range.bucketSeconds * 1000, series: data.series })}
</div></section>`;
}

function commandForms(data: KioskPageData): SafeHtml {
  const action = `${kioskPath(data.kiosk.deviceId)}/commands`;
  const simple = (name: string, label: string) =>
    html`<form method="post" action="${action}">${csrfField(data.viewer)}<input type="hidden" name="name" value="${name}"><button type="submit" class="secondary" data-test="command-${name}">${label}</button></form>`;
  return html`<div class="commands">
<form method="post" action="${action}">${csrfField(data.viewer)}<input type="hidden" name="name" value="lock">
  <div><label for="lock-reason">Reason shown at the kiosk</label><input id="lock-reason" name="reason" maxlength="200" placeholder="e.g. cleaning"></div>
  <button type="submit" class="danger" data-test="command-lock">Lock…</button></form>
${simple("unlock", "Unlock…")}
${simple("restart", "Restart…")}
${simple("sync-now", "Sync now…")}
${simple("reload-invoices", "Reload invoices…")}
${simple("send-diagnostics", "Send diagnostics…")}
<form method="post" action="${action}">${csrfField(data.viewer)}<input type="hidden" name="name" value="set-log-level">
  <div><label for="log-level">Log level</label><select id="log-level" name="level">${LOG_LEVELS.map(
    (level) => html`<option${level === "info" ? html` selected` : html``}>${level}</option>`,
  )}</select></div>
  <button type="submit" class="secondary" data-test="command-set-log-level">Set…</button></form>
<form method="post" action="${action}">${csrfField(data.viewer)}<input type="hidden" name="name" value="update">
  <div><label for="update-version">Release version</label><input id="update-version" name="version" maxlength="64" placeholder="1.3.0"></div>
  <div><label for="update-url">Address</label><input id="update-url" name="url" maxlength="500" placeholder="https://…/spectra-kiosk-1.3.0-linux-arm64.tar.gz"></div>
  <div><label for="update-sha">SHA-256</label><input id="update-sha" name="sha256" maxlength="64"></div>
  <button type="submit" class="secondary" data-test="command-update">Update…</button> <a href="/updates">a group, in stages…</a></form>
</div>`;
}

function commandsCard(data: KioskPageData): SafeHtml {
  return html`<section class="card" id="commands"><h2>Commands</h2>
${
  !may(data.viewer, "operator")
    ? html`<p class="muted" data-test="role-note">Sending commands needs the operator role.</p>`
    : data.commandsUnavailable
      ? html`<div class="notice warn" data-test="commands-unavailable">Commands cannot be sent: ${data.commandsUnavailable}</div>`
      : commandForms(data)
}
<p class="muted small">Every command is signed with central's key, valid for a few minutes, and asks for confirmation first. A command to an offline kiosk is queued and delivered when the kiosk is back; one that expires first is never sent.</p>
${
  data.commands.length === 0
    ? html`<p class="muted">No commands sent yet.</p>`
    : html`<div class="table-scroll"><table class="stack" data-test="commands"><thead><tr><th>Issued</th><th>Command</th><th>By</th><th>Status</th></tr></thead><tbody>${data.commands.map(
        (
          command,
        ) => html`<tr data-test="command-row" data-command="${command.commandId}" data-name="${command.name}">
<td class="small"><a href="/commands/${command.commandId}">${formatTime(command.issuedAt, zoneOf(data))}</a></td>
<td><b>${command.name}</b> ${Object.keys(command.args).length ? html`<code class="small">${JSON.stringify(command.args)}</code>` : html``}</td>
<td>${command.issuedBy}</td><td>${commandStatusBadge(commandStatus(command, data.now), zoneOf(data))}</td></tr>`,
      )}</tbody></table></div>`
}
</section>`;
}

function configCard(data: KioskPageData): SafeHtml {
  const reported = data.kiosk.reportedConfig;
  const latest = data.desired[0] ?? null;
  const editor = data.editorText ?? JSON.stringify(latest?.settings ?? {}, null, 2);
  const runs =
    reported === null
      ? html`<p class="muted" data-test="reported-config">The kiosk has not reported its configuration.</p>`
      : html`<p data-test="reported-config" data-version="${reported.version ?? "local"}">Runs ${
          reported.version === null
            ? html`<b>its local file only</b>`
            : html`<b>desired v${reported.version}</b>`
        }, applied ${formatTime(reported.appliedAt, zoneOf(data))}.${asOfNote(data.kiosk)}${
          latest &&
          reported.version !== latest.version &&
          !(reported.refused && reported.refused.version === latest.version)
            ? html` <span class="badge info">v${latest.version} not applied yet</span>`
            : html``
        }</p>
${
  reported.refused
    ? html`<div class="notice error" data-test="config-refused">The kiosk refused v${reported.refused.version}:<ul>${reported.refused.problems.map(
        (problem) => html`<li>${problem}</li>`,
      )}</ul>It keeps running the configuration before.</div>`
    : html``
}
<details><summary>Settings it runs</summary><pre>${JSON.stringify(reported.settings, null, 2)}</pre></details>`;
  return html`<section class="card" id="configuration"><h2>Configuration</h2>
${runs}
${
  data.desired.length
    ? html`<table data-test="desired-configs"><thead><tr><th>Desired</th><th>Pushed</th><th>By</th><th>Delivery</th></tr></thead><tbody>${data.desired.map(
        (config) =>
          html`<tr><td>v${config.version}</td><td class="small">${formatTime(config.issuedAt, zoneOf(data))}</td><td>${config.issuedBy}</td><td>${deliveryBadge(config.delivery)}</td></tr>`,
      )}</tbody></table>`
    : html`<p class="muted">No desired configuration pushed yet.</p>`
}
${may(data.viewer, "operator") ? configForms(data, editor, latest?.version ?? 0) : html`<p class="muted" data-test="role-note">Pushing configuration needs the operator role.</p>`}</section>`;
}

/** The editor (operators) and the secret delivery (admins: a secret is a key). */
function configForms(data: KioskPageData, editor: string, latest: number): SafeHtml {
  return html`<form method="post" action="${kioskPath(data.kiosk.deviceId)}/config">${csrfField(data.viewer)}
<input type="hidden" name="baseVersion" value="${latest === 0 ? "" : latest}">
<label for="settings">Managed settings (JSON, by path in the kiosk's configuration): ${data.managedPaths.join(", ")} (a whole section, or a path inside one)</label>
<textarea id="settings" name="settings" spellcheck="false" data-test="config-editor">${editor}</textarea>
<div class="actions"><button type="submit" data-test="config-review">Review v${latest + 1}…</button>
<span class="muted small">Retained by the broker: an offline kiosk gets it when it connects.</span></div>
</form>
${
  may(data.viewer, "admin")
    ? html`<form method="post" action="${kioskPath(data.kiosk.deviceId)}/secret" autocomplete="off">${csrfField(data.viewer)}
<label for="secret-name">Deliver a secret (a processor's key), sealed to this kiosk's device key: its name and value</label>
<input id="secret-name" name="name" value="authorize-net-transaction-key" data-test="secret-name">
<input type="password" name="value" autocomplete="new-password" aria-label="Secret value" data-test="secret-value">
<div class="actions"><button type="submit" data-test="secret-push">Deliver as v${latest + 1}</button>
<span class="muted small">Central keeps only the sealed form; the kiosk stores it for its service user alone.</span></div>
</form>`
    : html``
}`;
}

/** The kiosk's open alerts first (so they are seen), its recent ones folded below. */
function alertsCard(data: KioskPageData): SafeHtml {
  const { open, recent } = data.alerts;
  const kiosks = new Map([[data.kiosk.deviceId, data.kiosk]]);
  return html`<section class="card" id="alerts" data-test="kiosk-alerts"><h2>Alerts <span class="badge ${open.length ? "bad" : "ok"}" data-test="kiosk-open-alerts" data-value="${open.length}">${open.length} open</span></h2>
${open.length ? openAlertsTable(open, { now: data.now, kiosks, showKiosk: false }) : html``}
<details${open.length ? html`` : html` open`}><summary>Recent alerts</summary>${alertHistoryTable(recent, { now: data.now, showKiosk: false })}
<p class="small"><a href="/alerts?kiosk=${encodeURIComponent(data.kiosk.deviceId)}">All of this kiosk's alerts</a></p></details>
</section>`;
}

/** One kiosk: status, devices, telemetry over time, commands, configuration and recent records. */
export function kioskPage(data: KioskPageData): SafeHtml {
  const { kiosk } = data;
  const body = html`<h1 data-test="kiosk-title" data-kiosk="${kiosk.deviceId}">${kiosk.deviceId} ${stateBadge(kiosk.state)}</h1>
${alertsCard(data)}
<div class="grid">${statusCard(data)}${devicesCard(data)}${computerCard(kiosk)}</div>
${placementCard(data.viewer, kiosk)}
${telemetryCard(data)}
${commandsCard(data)}
${configCard(data)}
<section class="card"><h2>Recent records</h2>${recordsTable(data.records, { showKiosk: false })}
<p class="small"><a href="/payments?kiosk=${encodeURIComponent(kiosk.deviceId)}">All of this kiosk's payments</a></p></section>`;
  return layout({
    title: kiosk.deviceId,
    viewer: data.viewer,
    section: "kiosks",
    body,
    notice: data.notice ?? null,
  });
}
