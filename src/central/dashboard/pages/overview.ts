import { HEALTH_COLUMNS, healthOf, type KioskSummary } from "../fleet/fleet-queries.js";
import {
  type FleetSort,
  type FleetView,
  type KioskListGroup,
  runsDescendingFirst,
  SEARCH_MAX_LENGTH,
  viewQuery,
} from "../groups/fleet-view.js";
import { groupQuery } from "../groups/placement.js";
import type { AwaitedKiosk } from "../groups/placement-queries.js";
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

/** The studio central assigned; a studio the kiosk only reports about itself is shown as such. */
function studioCell(kiosk: KioskSummary): SafeHtml {
  if (kiosk.placement.studio) return html`${kiosk.placement.studio}`;
  const reported = kiosk.reportedConfig?.studio?.name;
  return reported
    ? html`<span class="muted small" title="reported by the kiosk, not assigned at central">${reported} (reported)</span>`
    : html`<span class="muted">—</span>`;
}

function tagsCell(kiosk: KioskSummary): SafeHtml {
  return html`<span class="flags">${kiosk.placement.tags.map(
    (tag) => html`<a class="badge info" href="/groups?${new URLSearchParams({ tag }).toString()}">${tag}</a>`,
  )}</span>`;
}

function row(kiosk: KioskSummary, now: Date): SafeHtml {
  return html`<tr data-test="kiosk-row" data-kiosk="${kiosk.deviceId}" data-state="${kiosk.state}"${isCurrent(kiosk) ? html`` : html` class="stale" title="as of ${formatTime(reportedAt(kiosk), kiosk.reportedConfig?.studio?.timeZone ?? null)}"`}>
  <td><a href="/kiosks/${encodeURIComponent(kiosk.deviceId)}"><b>${kiosk.deviceId}</b></a></td>
  <td data-test="studio">${studioCell(kiosk)}</td>
  <td data-test="tags">${tagsCell(kiosk)}</td>
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

const SORTABLE: readonly (readonly [string, FleetSort | null])[] = [
  ["Kiosk", "id"],
  ["Studio", "studio"],
  ["Tags", null],
  ["State", "state"],
  ["Last seen", "last-seen"],
  ["Version", null],
  ["Records waiting", "queue"],
];

/** A column's heading: a link that sorts by it (again: the other way round). */
function heading(label: string, sort: FleetSort | null, view: FleetView): SafeHtml {
  if (sort === null) return html`<th>${label}</th>`;
  const current = view.sort === sort;
  const href = `/${viewQuery(view, current ? { sort, descending: !view.descending } : { sort, descending: runsDescendingFirst(sort) })}`;
  return html`<th${current ? html` aria-sort="${view.descending ? "descending" : "ascending"}"` : html``}><a href="${href}" data-test="sort-${sort}">${label}${current ? (view.descending ? " ↓" : " ↑") : ""}</a></th>`;
}

function kioskTable(kiosks: readonly KioskSummary[], view: FleetView, now: Date): SafeHtml {
  return html`<div class="scroll"><table data-test="kiosks">
<thead><tr>${SORTABLE.map(([label, sort]) => heading(label, sort, view))}${HEALTH_COLUMNS.map(
    ({ label }) => html`<th>${label}</th>`,
  )}<th>Config</th></tr></thead>
<tbody>${kiosks.map((kiosk) => row(kiosk, now))}</tbody>
</table></div>`;
}

function viewForm(view: FleetView): SafeHtml {
  const option = (value: string, label: string, selected: boolean) =>
    html`<option value="${value}"${selected ? html` selected` : html``}>${label}</option>`;
  return html`<form class="filters" method="get" action="/" data-test="fleet-view" role="search">
  <div><label for="fleet-q">Search id, studio or tag</label><input id="fleet-q" name="q" type="search" value="${view.q}" maxlength="${SEARCH_MAX_LENGTH}" data-test="fleet-search"></div>
  <div><label for="fleet-sort">Sort by</label><select id="fleet-sort" name="sort">${[
    option("id", "Kiosk id", view.sort === "id"),
    option("studio", "Studio", view.sort === "studio"),
    option("state", "State (offline first)", view.sort === "state"),
    option("last-seen", "Last seen", view.sort === "last-seen"),
    option("queue", "Records waiting", view.sort === "queue"),
  ]}</select></div>
  <div><label for="fleet-group">Group by</label><select id="fleet-group" name="group" data-test="fleet-group">${[
    option("none", "Nothing", view.groupBy === "none"),
    option("studio", "Studio", view.groupBy === "studio"),
    option("tag", "Tag", view.groupBy === "tag"),
  ]}</select></div>
  <div><button type="submit" data-test="fleet-apply">Show</button> <a href="/">Clear</a></div>
</form>`;
}

function groupSection(group: KioskListGroup, view: FleetView, now: Date): SafeHtml {
  const kind = view.groupBy === "tag" ? "tag" : "studio";
  const title =
    group.name === null
      ? html`${kind === "tag" ? "No tag" : "No studio assigned"}`
      : html`${kind === "tag" ? "Tag" : "Studio"} <b>${group.name}</b>`;
  return html`<section class="card" data-test="kiosk-group" data-group="${group.name ?? ""}">
<h2>${title} <span class="muted small">${group.kiosks.length} kiosk(s)</span>${
    group.name === null
      ? html``
      : html` <a class="small" href="/groups?${groupQuery({ kind, name: group.name })}" data-test="act-on-group">Command or configure this group</a>`
  }</h2>
${kioskTable(group.kiosks, view, now)}
</section>`;
}

/** Kiosks central placed that have not connected yet: provisioned, still on their way to a counter. */
function awaitedSection(awaited: readonly AwaitedKiosk[]): SafeHtml {
  if (awaited.length === 0) return html``;
  return html`<section class="card" data-test="awaited-kiosks"><h2>Placed, never connected (${awaited.length})</h2>
<div class="scroll"><table><thead><tr><th>Kiosk</th><th>Studio</th><th>Tags</th><th>Placed</th></tr></thead><tbody>${awaited.map(
    (kiosk) =>
      html`<tr data-test="awaited-kiosk" data-kiosk="${kiosk.deviceId}"><td>${kiosk.deviceId}</td><td>${kiosk.studio ?? "—"}</td><td class="small">${kiosk.tags.join(", ")}</td><td class="small">${formatTime(kiosk.placedAt)}</td></tr>`,
  )}</tbody></table></div>
<p class="muted small">A kiosk shows here from its placement (provision-device --studio/--tag, central placement, the Groups page) until it first connects; commands sent to its group wait for it.</p></section>`;
}

/** Kiosks at a glance: availability, backlog, versions and device health; searched, sorted, grouped. */
export function overviewPage(options: {
  viewer: Viewer;
  kiosks: readonly KioskSummary[];
  /** Kiosks placed in a studio or tag that have never connected (none: the section is left out). */
  awaited?: readonly AwaitedKiosk[];
  view: FleetView;
  groups: readonly KioskListGroup[];
  now: Date;
  notice?: Notice | null;
}): SafeHtml {
  const { kiosks, now, view, groups } = options;
  const count = (state: KioskSummary["state"]) => kiosks.filter((kiosk) => kiosk.state === state).length;
  const waitingTotal = kiosks.reduce((sum, kiosk) => sum + (kiosk.telemetry?.outbox.depth ?? 0), 0);
  const shown = new Set(groups.flatMap((group) => group.kiosks.map((kiosk) => kiosk.deviceId))).size;
  const list =
    kiosks.length === 0
      ? html`<section class="card"><p class="muted">No kiosk has connected yet.</p></section>`
      : shown === 0
        ? html`<section class="card"><p class="muted" data-test="no-match">No kiosk matches "${view.q}".</p></section>`
        : view.groupBy === "none"
          ? html`<section class="card">${kioskTable(groups[0]?.kiosks ?? [], view, now)}</section>`
          : groups.map((group) => groupSection(group, view, now));
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
<section class="card">${viewForm(view)}${
    view.q
      ? html`<p class="small" data-test="shown-count">${shown} of ${kiosks.length} kiosk(s) match.</p>`
      : html``
  }</section>
${list}
${awaitedSection(options.awaited ?? [])}
<p class="muted small">Studio and tags are central's own (set at provisioning or on a kiosk's page); "(reported)" is the studio a kiosk says it is in, not yet assigned. Online and offline come from each kiosk's retained state and its Last Will; the rest from its latest telemetry. For an offline kiosk that is as of its last report (shown greyed, with the time): its devices read "unknown (offline)", and "last seen" is the last message the kiosk itself sent. This page reloads every 10 seconds.</p>`;
  return layout({
    title: "Kiosks",
    viewer: options.viewer,
    section: "kiosks",
    body,
    notice: options.notice ?? null,
  });
}
