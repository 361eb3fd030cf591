import type { GroupActionPart, GroupActionView } from "../groups/group-action-queries.js";
import { partOutcome } from "../groups/part-outcome.js";
import { describeGroup, groupQuery } from "../groups/placement.js";
import { html, type SafeHtml } from "../html.js";
import { formatTime } from "../view/format.js";
import { layout, type Viewer } from "../view/layout.js";
import { actionLabel } from "./groups.js";

const TONE: Record<string, string> = {
  completed: "ok",
  applied: "ok",
  sent: "info",
  accepted: "info",
  pending: "none",
  sending: "none",
  failed: "bad",
  rejected: "bad",
  refused: "bad",
  "refused-by-kiosk": "bad",
  queued: "warn",
  delivered: "info",
  expired: "bad",
  "not-sent": "bad",
  "broker-unreachable": "bad",
  "no-answer": "warn",
};

const TEXT: Record<string, string> = {
  pending: "pending at central",
  refused: "refused by central",
  "refused-by-kiosk": "refused by the kiosk",
  queued: "queued — delivered when the kiosk is back",
  delivered: "delivered, waiting for the kiosk",
  expired: "expired before the kiosk came back — not sent",
  "not-sent": "not sent",
  "broker-unreachable": "broker unreachable — not sent",
  "no-answer": "no answer before it expired",
  sent: "sent, waiting for the kiosk",
  accepted: "accepted by the kiosk",
  completed: "done",
};

function detailOf(part: GroupActionPart): SafeHtml {
  if (part.refusal) return html`<span class="small">${part.refusal}</span>`;
  const answer = part.answer;
  const parts: SafeHtml[] = [];
  if (part.commandId)
    parts.push(html`<a class="small" href="/commands/${encodeURIComponent(part.commandId)}">command</a>`);
  if (part.configVersion !== null) parts.push(html`<span class="small">v${part.configVersion}</span>`);
  if (answer?.code) parts.push(html` <code>${answer.code}</code>`);
  if (answer?.detail) parts.push(html` <span class="small">${answer.detail}</span>`);
  return html`${parts}`;
}

/** What became of a group action at each kiosk, as results come back. */
export function groupActionPage(options: {
  viewer: Viewer;
  action: GroupActionView;
  parts: readonly GroupActionPart[];
  now: Date;
}): SafeHtml {
  const { action, parts, now } = options;
  const outcomes = parts.map((part) => partOutcome(part, now));
  const tally = new Map<string, number>();
  for (const outcome of outcomes) tally.set(outcome, (tally.get(outcome) ?? 0) + 1);
  const body = html`<h1 data-test="group-action" data-action="${action.id}">${actionLabel(action)} → ${describeGroup(action.group)}</h1>
<section class="card">
<p>${action.kind === "command" ? html`Command <code>${action.name ?? ""}</code>` : html`Configuration`} <code class="small">${JSON.stringify(action.content)}</code>, by ${action.issuedBy}, ${formatTime(action.issuedAt)}. <a href="/groups?${groupQuery(action.group)}">Back to the group</a></p>
<div class="summary">${[...tally].map(
    ([outcome, count]) =>
      html`<div class="tile"><span class="muted">${TEXT[outcome] ?? outcome}</span><b data-test="tally" data-outcome="${outcome}">${count}</b></div>`,
  )}</div>
<div class="scroll"><table data-test="group-action-parts"><thead><tr><th>Kiosk</th><th>Outcome</th><th>Detail</th></tr></thead><tbody>${parts.map(
    (part, index) => {
      const outcome = outcomes[index] ?? "pending";
      return html`<tr data-test="part" data-kiosk="${part.deviceId}" data-outcome="${outcome}"><td><a href="/kiosks/${encodeURIComponent(part.deviceId)}">${part.deviceId}</a></td><td><span class="badge ${TONE[outcome] ?? "none"}">${TEXT[outcome] ?? outcome}</span></td><td>${detailOf(part)}</td></tr>`;
    },
  )}</tbody></table></div>
<p class="muted small">Each kiosk's outcome is what its own command or configuration says now: delivery at central, then the kiosk's answer (or, for a configuration, the version it reports running). This page follows them until every one is settled.</p>
</section>`;
  return layout({ title: "Group results", viewer: options.viewer, section: "groups", body });
}
