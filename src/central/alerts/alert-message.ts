import { escapeHtml } from "../dashboard/html.js";
import type { MailMessage } from "../mail/mailer.js";
import type { AlertChange } from "./alert-store.js";
import { ALERT_RULE_LABELS } from "./rules.js";

/** The kiosk's page on the dashboard, under the address operators reach it at; null when unknown. */
export function kioskLink(dashboardUrl: string | null, deviceId: string): string | null {
  if (dashboardUrl === null) return null;
  return `${dashboardUrl.replace(/\/+$/, "")}/kiosks/${encodeURIComponent(deviceId)}`;
}

/** The JSON a web hook receives for one raise or clear. */
export interface AlertWebhookBody {
  readonly event: "raised" | "cleared";
  readonly alert: {
    readonly id: string;
    readonly rule: string;
    readonly title: string;
    readonly deviceId: string;
    readonly raisedAt: string;
    readonly clearedAt: string | null;
    readonly detail: string;
  };
  readonly kioskUrl: string | null;
}

export function webhookBody(change: AlertChange, dashboardUrl: string | null): AlertWebhookBody {
  const { alert } = change;
  return {
    event: change.event,
    alert: {
      id: alert.id,
      rule: alert.rule,
      title: ALERT_RULE_LABELS[alert.rule],
      deviceId: alert.deviceId,
      raisedAt: alert.raisedAt,
      clearedAt: alert.clearedAt,
      detail: alert.detail,
    },
    kioskUrl: kioskLink(dashboardUrl, alert.deviceId),
  };
}

/** One email to one recipient: what happened, to which kiosk, since when, and the link to its page. */
export function alertEmail(change: AlertChange, to: string, dashboardUrl: string | null): MailMessage {
  const { alert } = change;
  const title = ALERT_RULE_LABELS[alert.rule];
  const link = kioskLink(dashboardUrl, alert.deviceId);
  const verb = change.event === "raised" ? "Alert" : "Cleared";
  const lines = [
    `${verb}: ${title} on kiosk ${alert.deviceId}`,
    "",
    `Raised: ${alert.raisedAt}`,
    ...(alert.clearedAt ? [`Cleared: ${alert.clearedAt}`] : []),
    `Detail: ${alert.detail}`,
    ...(link ? ["", `Kiosk: ${link}`] : []),
  ];
  const html = [
    `<p><b>${escapeHtml(`${verb}: ${title}`)}</b> on kiosk <b>${escapeHtml(alert.deviceId)}</b></p>`,
    "<ul>",
    `<li>Raised: ${escapeHtml(alert.raisedAt)}</li>`,
    ...(alert.clearedAt ? [`<li>Cleared: ${escapeHtml(alert.clearedAt)}</li>`] : []),
    `<li>Detail: ${escapeHtml(alert.detail)}</li>`,
    "</ul>",
    ...(link ? [`<p><a href="${escapeHtml(link)}">Open the kiosk's page</a></p>`] : []),
  ].join("\n");
  return {
    to,
    subject: `[Spectra] ${verb}: ${title} — ${alert.deviceId}`,
    text: `${lines.join("\n")}\n`,
    html,
  };
}
