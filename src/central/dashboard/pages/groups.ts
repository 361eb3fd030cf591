import { LOG_LEVELS } from "../../../sync/protocol/command-args.js";
import type { KioskSummary } from "../fleet/fleet-queries.js";
import type { GroupActionView } from "../groups/group-action-queries.js";
import { describeGroup, groupQuery, type KioskGroup } from "../groups/placement.js";
import { html, type SafeHtml } from "../html.js";
import { stateBadge } from "../view/badges.js";
import { formatTime } from "../view/format.js";
import { csrfField, layout, may, type Notice, type Viewer } from "../view/layout.js";

/** What a viewer sees where an operator has a form (the server refuses the form anyway). */
const OPERATOR_NOTE = html`<p class="muted" data-test="role-note">Sending to a group needs the operator role.</p>`;

import { WHAT_IT_DOES } from "./confirm.js";

export interface GroupCount {
  readonly name: string;
  readonly kiosks: number;
}

/** A member of a group: a kiosk central has heard from, or one placed before it ever connected. */
export interface GroupMember {
  readonly deviceId: string;
  readonly kiosk: KioskSummary | null;
}

function groupHidden(group: KioskGroup): SafeHtml {
  return html`<input type="hidden" name="${group.kind}" value="${group.name}">`;
}

function commandForms(viewer: Viewer, group: KioskGroup): SafeHtml {
  const start = html`<form method="post" action="/groups/commands">${csrfField(viewer)}${groupHidden(group)}`;
  const simple = (name: string, label: string) =>
    html`${start}<input type="hidden" name="name" value="${name}"><button type="submit" class="secondary" data-test="group-command-${name}">${label}</button></form>`;
  return html`<div class="commands">
${start}<input type="hidden" name="name" value="lock">
  <div><label for="lock-reason">Reason shown at the kiosks</label><input id="lock-reason" name="reason" maxlength="200" placeholder="e.g. cleaning"></div>
  <button type="submit" class="danger" data-test="group-command-lock">Lock…</button></form>
${simple("unlock", "Unlock…")}
${simple("restart", "Restart…")}
${simple("sync-now", "Sync now…")}
${simple("reload-invoices", "Reload invoices…")}
${simple("send-diagnostics", "Send diagnostics…")}
${start}<input type="hidden" name="name" value="set-log-level">
  <div><label for="log-level">Log level</label><select id="log-level" name="level">${LOG_LEVELS.map(
    (level) => html`<option${level === "info" ? html` selected` : html``}>${level}</option>`,
  )}</select></div>
  <button type="submit" class="secondary" data-test="group-command-set-log-level">Set…</button></form>
</div>
<p class="muted small">Releases go to a group, in stages, from <a href="/updates">Updates</a>.</p>`;
}

function configForm(viewer: Viewer, group: KioskGroup, editorText: string): SafeHtml {
  return html`<form method="post" action="/groups/config">${csrfField(viewer)}${groupHidden(group)}
<label for="group-settings">Managed settings (JSON, by path) to set on every kiosk of the group, over each kiosk's own desired settings</label>
<textarea id="group-settings" name="settings" spellcheck="false" data-test="group-config-editor">${editorText}</textarea>
<div class="actions"><button type="submit" data-test="group-config-review">Review…</button>
<span class="muted small">Each kiosk gets its next version: its own settings, with these paths replaced.</span></div>
</form>`;
}

function membersTable(members: readonly GroupMember[]): SafeHtml {
  return html`<div class="scroll"><table data-test="group-members"><thead><tr><th>Kiosk</th><th>State</th><th>Studio</th><th>Tags</th></tr></thead><tbody>${members.map(
    ({ deviceId, kiosk }) =>
      html`<tr data-test="group-member" data-kiosk="${deviceId}"><td>${
        kiosk ? html`<a href="/kiosks/${encodeURIComponent(deviceId)}">${deviceId}</a>` : deviceId
      }</td><td>${kiosk ? stateBadge(kiosk.state) : html`<span class="muted small">never connected</span>`}</td><td>${kiosk?.placement.studio ?? ""}</td><td class="small">${kiosk?.placement.tags.join(", ") ?? ""}</td></tr>`,
  )}</tbody></table></div>`;
}

function groupLinks(
  kind: KioskGroup["kind"],
  counts: readonly GroupCount[],
  chosen: KioskGroup | null,
): SafeHtml {
  if (counts.length === 0) {
    return html`<p class="muted small">No kiosk has ${kind === "studio" ? "a studio" : "a tag"} yet: set them on a kiosk's page or at provisioning.</p>`;
  }
  return html`<div class="group-list">${counts.map(({ name, kiosks }) => {
    const current = chosen?.kind === kind && chosen.name === name;
    return html`<a class="badge ${current ? "ok" : "info"}" href="/groups?${groupQuery({ kind, name })}" data-test="group-link" data-kind="${kind}" data-name="${name}"${current ? html` aria-current="true"` : html``}>${name} · ${kiosks}</a>`;
  })}</div>`;
}

export function actionLabel(action: GroupActionView): string {
  return action.kind === "command" ? (action.name ?? "command") : "configuration";
}

function recentActions(actions: readonly GroupActionView[]): SafeHtml {
  if (actions.length === 0) return html`<p class="muted">Nothing sent to a group yet.</p>`;
  return html`<div class="scroll"><table data-test="group-actions"><thead><tr><th>Sent</th><th>To</th><th>What</th><th>By</th></tr></thead><tbody>${actions.map(
    (action) =>
      html`<tr><td class="small"><a href="/groups/actions/${encodeURIComponent(action.id)}">${formatTime(action.issuedAt)}</a></td><td>${describeGroup(action.group)}</td><td><b>${actionLabel(action)}</b> <code class="small">${JSON.stringify(action.content)}</code></td><td>${action.issuedBy}</td></tr>`,
  )}</tbody></table></div>`;
}

/** Groups of kiosks — studios and tags — and, for the one chosen, its kiosks, commands and configuration. */
export function groupsPage(options: {
  viewer: Viewer;
  studios: readonly GroupCount[];
  tags: readonly GroupCount[];
  chosen: KioskGroup | null;
  members: readonly GroupMember[];
  actions: readonly GroupActionView[];
  commandsUnavailable: string | null;
  editorText?: string;
  notice?: Notice | null;
}): SafeHtml {
  const { chosen, viewer } = options;
  const body = html`<h1>Groups</h1>
<section class="card"><h2>Studios</h2>${groupLinks("studio", options.studios, chosen)}
<h2>Tags</h2>${groupLinks("tag", options.tags, chosen)}</section>
${
  chosen
    ? html`<section class="card" data-test="chosen-group" data-kind="${chosen.kind}" data-name="${chosen.name}">
<h2>${chosen.kind === "studio" ? "Studio" : "Tag"} <b>${chosen.name}</b> <span class="muted small">${options.members.length} kiosk(s)</span> <a class="small" href="/?${new URLSearchParams({ q: chosen.name, group: chosen.kind }).toString()}">on the kiosk list</a></h2>
${options.members.length ? membersTable(options.members) : html`<p class="muted">No kiosk is in this group.</p>`}
</section>
<section class="card" id="group-commands"><h2>Send a command to every kiosk of the group</h2>
${
  !may(viewer, "operator")
    ? OPERATOR_NOTE
    : options.commandsUnavailable
      ? html`<div class="notice warn" data-test="commands-unavailable">Commands cannot be sent: ${options.commandsUnavailable}</div>`
      : commandForms(viewer, chosen)
}
<p class="muted small">Each kiosk gets its own command, signed for it, after you confirm; the results page lists what became of each.</p>
</section>
<section class="card" id="group-config"><h2>Push configuration to every kiosk of the group</h2>
${may(viewer, "operator") ? configForm(viewer, chosen, options.editorText ?? "{\n}") : OPERATOR_NOTE}
</section>`
    : html`<p class="muted">Choose a studio or a tag to send its kiosks a command or a configuration.</p>`
}
<section class="card"><h2>Sent to groups</h2>${recentActions(options.actions)}</section>`;
  return layout({ title: "Groups", viewer, section: "groups", body, notice: options.notice ?? null });
}

/** The step before a group command is signed for each kiosk. */
export function confirmGroupCommandPage(options: {
  viewer: Viewer;
  group: KioskGroup;
  members: readonly GroupMember[];
  name: string;
  args: Readonly<Record<string, unknown>>;
}): SafeHtml {
  const { group, name, args, members } = options;
  const offline = members
    .filter((member) => member.kiosk?.state !== "online")
    .map((member) => member.deviceId);
  const body = html`<section class="card confirm" data-test="confirm-group-command">
<h1>Send <code>${name}</code> to ${members.length} kiosk(s) of ${describeGroup(group)}?</h1>
<p>${WHAT_IT_DOES[name] ?? ""}</p>
<table>
<tr><th>Arguments</th><td>${Object.keys(args).length ? html`<code>${JSON.stringify(args)}</code>` : html`<span class="muted">none</span>`}</td></tr>
<tr><th>Kiosks</th><td class="small">${members.map((member) => member.deviceId).join(", ")}</td></tr>
<tr><th>Signed as</th><td>${options.viewer.userName}, for each kiosk</td></tr>
</table>
${offline.length ? html`<div class="notice warn">Not online now: ${offline.join(", ")}. Each shows what became of its command.</div>` : html``}
<form method="post" action="/groups/commands">${csrfField(options.viewer)}${groupHidden(group)}
<input type="hidden" name="name" value="${name}">
${Object.entries(args).map(([key, value]) => html`<input type="hidden" name="${key}" value="${String(value)}">`)}
<input type="hidden" name="confirm" value="yes">
<div class="actions"><button type="submit" class="${name === "lock" || name === "restart" ? "danger" : ""}" data-test="confirm">Confirm: send ${name} to ${members.length}</button>
<a href="/groups?${groupQuery(group)}" data-test="cancel">Cancel</a></div>
</form></section>`;
  return layout({ title: `Confirm ${name}`, viewer: options.viewer, section: "groups", body });
}

/** The step before a group's configuration is pushed to each kiosk. */
export function confirmGroupConfigPage(options: {
  viewer: Viewer;
  group: KioskGroup;
  members: readonly GroupMember[];
  settings: Readonly<Record<string, unknown>>;
}): SafeHtml {
  const { group, settings, members } = options;
  const body = html`<section class="card confirm" data-test="confirm-group-config">
<h1>Push configuration to ${members.length} kiosk(s) of ${describeGroup(group)}?</h1>
<p>Each kiosk gets its next desired version: its own settings, with these paths set. The broker keeps it for a kiosk that is offline.</p>
<table><thead><tr><th>Setting</th><th>Value</th></tr></thead><tbody>${Object.entries(settings).map(
    ([key, value]) =>
      html`<tr><td><code>${key}</code></td><td><code>${JSON.stringify(value)}</code></td></tr>`,
  )}</tbody></table>
<p class="small">Kiosks: ${members.map((member) => member.deviceId).join(", ")}</p>
<form method="post" action="/groups/config">${csrfField(options.viewer)}${groupHidden(group)}
<input type="hidden" name="settings" value="${JSON.stringify(settings)}">
<input type="hidden" name="confirm" value="yes">
<div class="actions"><button type="submit" data-test="confirm">Confirm: push to ${members.length}</button>
<a href="/groups?${groupQuery(group)}" data-test="cancel">Cancel</a></div>
</form></section>`;
  return layout({ title: "Confirm configuration", viewer: options.viewer, section: "groups", body });
}
