import { type RolloutKiosk, stageOf } from "../fleet/rollout-queries.js";
import { html, type SafeHtml } from "../html.js";
import { asOfMark } from "../view/as-of.js";
import { stateBadge } from "../view/badges.js";
import { csrfField, layout, may, type Notice, notice, type Viewer } from "../view/layout.js";

const STAGE_TEXT: Record<ReturnType<typeof stageOf>, string> = {
  "not-asked": "not asked",
  "not-sent": "not sent (expired before the kiosk was back)",
  queued: "queued until the kiosk is back",
  sent: "sent",
  fetched: "fetched, updating",
  updated: "updated",
  failed: "failed",
  "on-version": "runs it",
};

function progress(version: string, kiosks: readonly RolloutKiosk[]): SafeHtml {
  const stages = kiosks.map((kiosk) => stageOf(kiosk, version));
  const count = (stage: string) => stages.filter((value) => value === stage).length;
  return html`<section class="card" data-test="rollout" data-version="${version}">
<h2>${version}: ${count("updated") + count("on-version")} of ${kiosks.length} run it, ${count("fetched") + count("sent")} in progress, ${count("failed")} failed</h2>
<table><thead><tr><th>Kiosk</th><th>State</th><th>Runs</th><th>Update</th><th>Code</th><th>Command</th></tr></thead><tbody>
${kiosks.map((kiosk, index) => {
  const stage = stages[index] ?? "not-asked";
  return html`<tr data-test="rollout-kiosk" data-kiosk="${kiosk.deviceId}" data-stage="${stage}">
<td><a href="/kiosks/${encodeURIComponent(kiosk.deviceId)}">${kiosk.deviceId}</a></td>
<td>${stateBadge(kiosk.state === "online" || kiosk.state === "offline" ? kiosk.state : "unknown")}</td>
<td>${kiosk.runs ?? "—"}${asOfMark(kiosk.state === "online", kiosk.reportedAt)}</td>
<td><span class="badge ${stage === "failed" ? "bad" : stage === "updated" || stage === "on-version" ? "ok" : "info"}">${STAGE_TEXT[stage]}</span></td>
<td>${kiosk.code ?? ""}</td>
<td>${kiosk.commandId ? html`<a href="/commands/${kiosk.commandId}">answer</a>` : html``}</td></tr>`;
})}
</tbody></table></section>`;
}

/** The form that signs and sends a release (operators). */
function sendForm(viewer: Viewer, value: (name: string) => string): SafeHtml {
  return html`<section class="card"><h1>Send a release</h1>
<p>Each kiosk fetches the release from the address given (with its <code>.sha256</code> and <code>.sha256.sig</code> beside it), checks it against the release key and the checksum signed here, backs up its database, switches, and keeps the new release only if it reports healthy; otherwise it rolls back by itself.</p>
<form method="post" action="/updates" data-test="update-form">${csrfField(viewer)}
<div><label for="u-version">Version</label><input id="u-version" name="version" maxlength="64" required value="${value("version")}" placeholder="1.3.0"></div>
<div><label for="u-url">Release address</label><input id="u-url" name="url" maxlength="500" required value="${value("url")}" placeholder="https://releases.example/spectra-kiosk-1.3.0-linux-arm64.tar.gz"></div>
<div><label for="u-sha">SHA-256 (from its .sha256 file)</label><input id="u-sha" name="sha256" maxlength="64" required value="${value("sha256")}"></div>
<div><label for="u-kiosks">Kiosks: <code>all</code>, ids, or a prefix with <code>*</code></label><input id="u-kiosks" name="kiosks" maxlength="4000" required value="${value("kiosks") || "all"}"></div>
<div><label for="u-first">First stage: how many (empty: all of them now)</label><input id="u-first" name="first" inputmode="numeric" maxlength="4" value="${value("first")}"></div>
<div class="actions"><button type="submit" data-test="send-update">Sign and send</button></div>
</form></section>`;
}

/**
 * Updates: send a release to one kiosk, a group ("kiosk-lakeside-*") or all, in stages (the first
 * few, then the rest), and follow each kiosk from sent to fetched to updated — or failed, when its
 * new release did not report healthy and it rolled back. Each kiosk gets its own signed command.
 */
export function updatesPage(options: {
  viewer: Viewer;
  rollouts: readonly { version: string; kiosks: readonly RolloutKiosk[] }[];
  notice?: Notice | null;
  form?: Readonly<Record<string, string>>;
}): SafeHtml {
  const form = options.form ?? {};
  const value = (name: string) => form[name] ?? "";
  const body = html`${notice(options.notice)}
${may(options.viewer, "operator") ? sendForm(options.viewer, value) : html`<h1>Updates</h1><p class="muted" data-test="role-note">Sending a release needs the operator role.</p>`}
${options.rollouts.map((rollout) => progress(rollout.version, rollout.kiosks))}`;
  return layout({ title: "Updates", viewer: options.viewer, section: "updates", body });
}
