import type { KioskSummary } from "../fleet/fleet-queries.js";
import { html, type SafeHtml } from "../html.js";
import { stateBadge } from "../view/badges.js";
import { formatDuration } from "../view/format.js";
import { csrfField, layout, type Viewer } from "../view/layout.js";

const kioskPath = (deviceId: string): string => `/kiosks/${encodeURIComponent(deviceId)}`;

/** What each command does at a kiosk, for its confirmation. */
export const WHAT_IT_DOES: Record<string, string> = {
  lock: 'The kiosk shows "Out of service" and takes no payments until it is unlocked.',
  unlock: "The kiosk takes payments again.",
  restart: "The kiosk process restarts (a payment in progress is finished or parked first).",
  "sync-now": "The kiosk sends its waiting records and telemetry now.",
  "reload-invoices": "The kiosk pulls every invoice and client from central again.",
  "set-log-level": "The kiosk logs at this level until it restarts.",
  "send-diagnostics":
    "The kiosk answers with its health, versions, last errors and configuration (no secrets).",
  update:
    "The kiosk fetches this release, checks it against the release key and this checksum, backs up its database, switches, and rolls back by itself unless the new release reports healthy.",
};

/** The confirmation step before a command is signed and sent. */
export function confirmCommandPage(options: {
  viewer: Viewer;
  kiosk: KioskSummary;
  name: string;
  args: Readonly<Record<string, unknown>>;
  ttlSeconds: number;
}): SafeHtml {
  const { kiosk, name, args } = options;
  const offline = kiosk.state !== "online";
  const body = html`<section class="card confirm" data-test="confirm-command">
<h1>Send <code>${name}</code> to ${kiosk.deviceId}?</h1>
<p>${WHAT_IT_DOES[name] ?? ""}</p>
<table>
<tr><th>Kiosk</th><td>${kiosk.deviceId} ${stateBadge(kiosk.state)}</td></tr>
<tr><th>Arguments</th><td>${Object.keys(args).length ? html`<code>${JSON.stringify(args)}</code>` : html`<span class="muted">none</span>`}</td></tr>
<tr><th>Valid for</th><td>${formatDuration(options.ttlSeconds)} after you confirm</td></tr>
<tr><th>Signed as</th><td>${options.viewer.userName}</td></tr>
</table>
${offline ? html`<div class="notice warn" data-test="will-wait">The kiosk is ${kiosk.state}: the command will wait and be delivered when the kiosk is back, unless it expires first.</div>` : html``}
<form method="post" action="${kioskPath(kiosk.deviceId)}/commands">${csrfField(options.viewer)}
<input type="hidden" name="name" value="${name}">
${Object.entries(args).map(([key, value]) => html`<input type="hidden" name="${key}" value="${String(value)}">`)}
<input type="hidden" name="confirm" value="yes">
<div class="actions"><button type="submit" class="${name === "lock" || name === "restart" ? "danger" : ""}" data-test="confirm">Confirm: send ${name}</button>
<a href="${kioskPath(kiosk.deviceId)}#commands" data-test="cancel">Cancel</a></div>
</form></section>`;
  return layout({ title: `Confirm ${name}`, viewer: options.viewer, section: "kiosks", body });
}

/** The confirmation step before a desired configuration is pushed: what changes from the current one. */
export function confirmConfigPage(options: {
  viewer: Viewer;
  kiosk: KioskSummary;
  settings: Readonly<Record<string, unknown>>;
  current: Readonly<Record<string, unknown>> | null;
  baseVersion: number | null;
}): SafeHtml {
  const { kiosk, settings, current } = options;
  const keys = [...new Set([...Object.keys(current ?? {}), ...Object.keys(settings)])].sort();
  const show = (value: unknown) =>
    value === undefined
      ? html`<span class="muted">not set</span>`
      : html`<code>${JSON.stringify(value)}</code>`;
  const changes = keys.filter((key) => JSON.stringify(current?.[key]) !== JSON.stringify(settings[key]));
  const next = (options.baseVersion ?? 0) + 1;
  const body = html`<section class="card confirm" data-test="confirm-config">
<h1>Push configuration v${next} to ${kiosk.deviceId}?</h1>
<p>The broker keeps it for the kiosk (retained); the kiosk applies it if it validates and reports the version it runs.</p>
${
  changes.length === 0
    ? html`<p class="muted">Nothing changes from v${options.baseVersion ?? 0}.</p>`
    : html`<table><thead><tr><th>Setting</th><th>Now (v${options.baseVersion ?? 0})</th><th>v${next}</th></tr></thead><tbody>${changes.map(
        (key) =>
          html`<tr><td><code>${key}</code></td><td>${show(current?.[key])}</td><td>${show(settings[key])}</td></tr>`,
      )}</tbody></table>`
}
<form method="post" action="${kioskPath(kiosk.deviceId)}/config">${csrfField(options.viewer)}
<input type="hidden" name="settings" value="${JSON.stringify(settings)}">
<input type="hidden" name="baseVersion" value="${options.baseVersion ?? ""}">
<input type="hidden" name="confirm" value="yes">
<div class="actions"><button type="submit" data-test="confirm">Confirm: push v${next}</button>
<a href="${kioskPath(kiosk.deviceId)}#configuration" data-test="cancel">Cancel</a></div>
</form></section>`;
  return layout({ title: "Confirm configuration", viewer: options.viewer, section: "kiosks", body });
}
