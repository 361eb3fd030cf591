import type { CommandStatus, DeliveryState } from "../fleet/command-status.js";
import { html, type SafeHtml } from "../html.js";
import { formatTime } from "./format.js";

type Tone = "ok" | "bad" | "warn" | "info" | "none";

const TEXT: Record<CommandStatus["kind"], [Tone, string]> = {
  queued: ["info", "queued"],
  delivered: ["info", "delivered"],
  "no-answer": ["warn", "no answer before it expired"],
  applied: ["ok", "applied"],
  accepted: ["info", "accepted"],
  refused: ["bad", "refused"],
  failed: ["bad", "failed"],
  expired: ["warn", "expired"],
  "not-sent": ["bad", "not sent"],
};

/** A command's status as a badge, with the time it took that status and what comes next. */
export function commandStatusBadge(status: CommandStatus, timeZone: string | null = null): SafeHtml {
  const [tone, text] = TEXT[status.kind];
  const badge = html`<span class="badge ${tone}" data-test="status" data-value="${status.kind}">${text}</span>`;
  const at = (instant: string | null) => formatTime(instant, timeZone);
  switch (status.kind) {
    case "queued":
      return html`${badge} <span class="small" data-test="status-detail">${
        status.brokerRefused ? "the broker did not take it; it is sent again" : "waits for the kiosk"
      } since ${at(status.since)}, until ${at(status.until)}</span>`;
    case "delivered":
      return html`${badge} <span class="small" data-test="status-detail">${at(status.at)}, waiting for the kiosk's answer until ${at(status.until)}</span>`;
    case "refused":
    case "failed":
      return html`${badge} <span class="small" data-test="status-detail">${at(status.at)}${
        status.code ? html` <code>${status.code}</code>` : html``
      }${status.detail ? html` ${status.detail}` : html``}</span>`;
    case "not-sent":
      return html`${badge} <span class="small" data-test="status-detail">(before commands waited for offline kiosks)</span>`;
    case "no-answer":
    case "applied":
    case "accepted":
    case "expired":
      return html`${badge} <span class="small" data-test="status-detail">${at(status.at)}</span>`;
  }
}

const DELIVERY_TONE: Record<DeliveryState, Tone> = {
  queued: "info",
  delivered: "ok",
  expired: "warn",
  "not-sent": "bad",
};

/** Central's part alone (the audit log): queued, delivered, expired or not sent. */
export function commandDeliveryBadge(delivery: DeliveryState): SafeHtml {
  return html`<span class="badge ${DELIVERY_TONE[delivery]}" data-test="delivery" data-value="${delivery}">${delivery === "not-sent" ? "not sent" : delivery}</span>`;
}
