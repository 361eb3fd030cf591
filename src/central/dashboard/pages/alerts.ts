import type { Alert, AlertHistoryEntry } from "../../alerts/alert-store.js";
import { ALERT_RULE_LABELS, ALERT_RULES, type AlertRule } from "../../alerts/rules.js";
import type { KioskSummary } from "../fleet/fleet-queries.js";
import { html, type SafeHtml } from "../html.js";
import { alertHistoryTable, openAlertsTable } from "../view/alert-rows.js";
import { layout, type Viewer } from "../view/layout.js";

/** How central watches, as the page explains it: off, or the interval of its checks. */
export type AlertCheck =
  | { readonly enabled: false }
  | { readonly enabled: true; readonly intervalSeconds: number };

/** Open alerts across the fleet, then their history, a page at a time, by kiosk and rule. */
export function alertsPage(options: {
  viewer: Viewer;
  open: readonly Alert[];
  history: readonly AlertHistoryEntry[];
  kiosks: ReadonlyMap<string, KioskSummary>;
  check: AlertCheck;
  deviceId: string | null;
  rule: AlertRule | null;
  /** The next page's `before`, when there may be more. */
  nextBefore: string | null;
  limit: number;
  now: Date;
}): SafeHtml {
  const filterQuery = (before: string | null): string => {
    const query = new URLSearchParams();
    if (options.deviceId) query.set("kiosk", options.deviceId);
    if (options.rule) query.set("rule", options.rule);
    if (before) query.set("before", before);
    const text = query.toString();
    return text ? `?${text}` : "";
  };
  const kioskIds = [...options.kiosks.keys()].sort();
  const body = html`<h1>Alerts</h1>
<section class="card">
<h2>Open <span class="badge ${options.open.length ? "bad" : "ok"}" data-test="open-alert-count" data-value="${options.open.length}">${options.open.length}</span></h2>
${openAlertsTable(options.open, { now: options.now, kiosks: options.kiosks, showKiosk: true })}
<p class="muted small" data-test="alert-check">${
    options.check.enabled
      ? `Central checks every kiosk every ${options.check.intervalSeconds} s: an alert is raised once when its rule starts to hold and cleared when it ends, so this list is as of the last check. Offline is judged from the kiosk's Last Will; the other rules from its latest telemetry, which for an offline kiosk is as of its last report (marked).`
      : "Alerts are turned off (central.alerts.enabled): nothing is raised or cleared; the list is as it was left."
  }</p>
</section>
<section class="card">
<h2>History</h2>
<form method="get" action="/alerts" class="filters">
<div><label for="a-kiosk">Kiosk</label><select id="a-kiosk" name="kiosk"><option value="">all</option>${kioskIds.map(
    (id) => html`<option${id === options.deviceId ? html` selected` : html``}>${id}</option>`,
  )}</select></div>
<div><label for="a-rule">Alert</label><select id="a-rule" name="rule"><option value="">all</option>${ALERT_RULES.map(
    (rule) =>
      html`<option value="${rule}"${rule === options.rule ? html` selected` : html``}>${ALERT_RULE_LABELS[rule]}</option>`,
  )}</select></div>
<button type="submit">Show</button> <a href="/alerts">Clear</a>
</form>
${alertHistoryTable(options.history, { now: options.now, showKiosk: true })}
<p class="small">${
    options.nextBefore
      ? html`<a href="/alerts${filterQuery(options.nextBefore)}" data-test="older-alerts">Older alerts</a> · `
      : html``
  }<span class="muted">${options.limit} a page, newest first.</span></p>
</section>`;
  return layout({ title: "Alerts", viewer: options.viewer, section: "alerts", body });
}
