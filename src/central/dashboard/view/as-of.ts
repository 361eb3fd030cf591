import type { DriverHealth } from "../../../sync/protocol/messages.js";
import type { KioskSummary } from "../fleet/fleet-queries.js";
import { html, type SafeHtml } from "../html.js";
import { healthBadge } from "./badges.js";
import { formatTime } from "./format.js";

/**
 * What the dashboard knows of a kiosk is current only while the kiosk is online. Once it is offline
 * (or has never said either), everything it reported is as of its last report: shown so, never as
 * if it held now.
 */
export function isCurrent(kiosk: KioskSummary): boolean {
  return kiosk.state === "online";
}

/** The time the kiosk's last report describes: its last telemetry, else when it was last seen. */
export function reportedAt(kiosk: KioskSummary): string | null {
  return kiosk.telemetryAt ?? kiosk.lastSeenAt;
}

/** "as of 2026-12-02 17:04:05 UTC", for a value from an offline kiosk; nothing for an online one. */
export function asOfNote(kiosk: KioskSummary): SafeHtml {
  return asOfMark(isCurrent(kiosk), reportedAt(kiosk));
}

/** The same mark for a page that has a kiosk's state and report time but not its whole summary. */
export function asOfMark(online: boolean, reportedAtIso: string | null): SafeHtml {
  if (online) return html``;
  return html` <span class="muted small as-of" data-test="as-of">as of ${formatTime(reportedAtIso)}</span>`;
}

/**
 * A device's health: as reported while the kiosk is online; "unknown (offline)" once it is not, with
 * what it last reported and when. A printer of an offline kiosk may be unplugged by now.
 */
export function deviceHealth(kiosk: KioskSummary, health: DriverHealth | null): SafeHtml {
  if (isCurrent(kiosk)) return healthBadge(health);
  const last = health
    ? html` <span class="muted small" data-test="as-of">last reported ${health.status} as of ${formatTime(reportedAt(kiosk))}</span>`
    : html``;
  return html`<span class="badge none" data-test="health" data-value="unknown">unknown (offline)</span>${last}`;
}
