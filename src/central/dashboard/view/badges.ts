import type { DriverHealth } from "../../../sync/protocol/messages.js";
import { html, type SafeHtml } from "../html.js";

type Tone = "ok" | "bad" | "warn" | "info" | "none";

const badge = (tone: Tone, text: string, test?: string): SafeHtml =>
  html`<span class="badge ${tone}"${test ? html` data-test="${test}" data-value="${text}"` : html``}>${text}</span>`;

export function stateBadge(state: "unknown" | "online" | "offline"): SafeHtml {
  return badge(state === "online" ? "ok" : state === "offline" ? "bad" : "none", state, "kiosk-state");
}

export function healthBadge(health: DriverHealth | null): SafeHtml {
  if (!health) return badge("none", "—");
  const tone: Tone =
    health.status === "connected"
      ? "ok"
      : health.status === "simulated"
        ? "info"
        : health.status === "disabled"
          ? "none"
          : health.status === "error"
            ? "bad"
            : "warn";
  return html`${badge(tone, health.status, "health")}${health.detail ? html` <span class="muted small">${health.detail}</span>` : html``}`;
}

/** A desired configuration's delivery (commands have their status: command-status-badge.ts). */
export type Delivery = "sending" | "sent" | "broker-unreachable";

const DELIVERY_TEXT: Record<Delivery, [Tone, string]> = {
  sending: ["info", "sending"],
  sent: ["ok", "sent"],
  "broker-unreachable": ["bad", "broker unreachable — not sent"],
};

export function deliveryBadge(delivery: Delivery): SafeHtml {
  const [tone, text] = DELIVERY_TEXT[delivery];
  return html`<span class="badge ${tone}" data-test="delivery" data-value="${delivery}">${text}</span>`;
}

export function outcomeBadge(outcome: string): SafeHtml {
  const tone: Tone =
    outcome === "completed"
      ? "ok"
      : outcome === "accepted"
        ? "info"
        : outcome === "rejected" || outcome === "failed"
          ? "bad"
          : "none";
  return html`<span class="badge ${tone}" data-test="outcome" data-value="${outcome}">${outcome}</span>`;
}
