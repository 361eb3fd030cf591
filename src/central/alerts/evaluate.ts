import { type DriverHealth, TAMPER_SWITCH_DEVICE, type Telemetry } from "../../sync/protocol/messages.js";
import type { AlertRulesConfig } from "./config.js";
import { ALERT_RULES, type AlertRule } from "./rules.js";

/** What central knows of one kiosk: its availability and its latest telemetry. */
export interface KioskFacts {
  readonly deviceId: string;
  readonly state: "unknown" | "online" | "offline";
  readonly stateChangedAt: string | null;
  readonly telemetry: Telemetry | null;
  readonly telemetryAt: string | null;
}

/**
 * One rule's verdict on one kiosk. "unknown": central cannot tell now (no report, a value the kiosk
 * does not send, or a report from a kiosk that is offline): an open alert stays open, none is raised.
 */
export type Verdict =
  | { readonly rule: AlertRule; readonly holds: true; readonly detail: string }
  | { readonly rule: AlertRule; readonly holds: false }
  | { readonly rule: AlertRule; readonly holds: "unknown" };

const holds = (rule: AlertRule, detail: string): Verdict => ({ rule, holds: true, detail });
const ended = (rule: AlertRule): Verdict => ({ rule, holds: false });
const unknown = (rule: AlertRule): Verdict => ({ rule, holds: "unknown" });

const PRINTER_TROUBLE: readonly DriverHealth["status"][] = ["paper-out", "error", "disconnected"];
const READER_TROUBLE: readonly DriverHealth["status"][] = ["error", "disconnected"];
const READERS = ["card-reader", "smartReader"] as const;

function healthText(device: string, health: DriverHealth): string {
  return `${device} ${health.status}${health.detail ? ` (${health.detail})` : ""}`;
}

function offline(kiosk: KioskFacts, afterSeconds: number, now: Date): Verdict {
  if (kiosk.state === "online") return ended("offline");
  if (kiosk.state === "unknown" || kiosk.stateChangedAt === null) return unknown("offline");
  const seconds = Math.floor((now.getTime() - Date.parse(kiosk.stateChangedAt)) / 1000);
  if (!Number.isFinite(seconds)) return unknown("offline");
  return seconds >= afterSeconds
    ? holds("offline", `offline since ${kiosk.stateChangedAt} (${seconds} s, threshold ${afterSeconds} s)`)
    : ended("offline");
}

/** Rules on the kiosk's telemetry: judged only on a current report (the kiosk online). */
function fromTelemetry(rule: AlertRule, telemetry: Telemetry, rules: AlertRulesConfig): Verdict {
  switch (rule) {
    case "printer": {
      const printer = telemetry.drivers.printer;
      if (!printer) return ended(rule);
      return PRINTER_TROUBLE.includes(printer.status)
        ? holds(rule, healthText("printer", printer))
        : ended(rule);
    }
    case "reader": {
      const trouble = READERS.flatMap((device) => {
        const health = telemetry.drivers[device];
        return health && READER_TROUBLE.includes(health.status) ? [healthText(device, health)] : [];
      });
      return trouble.length > 0 ? holds(rule, trouble.join("; ")) : ended(rule);
    }
    case "unsynced": {
      const age = telemetry.outbox.oldestUnsyncedAgeSeconds;
      if (age === null) return ended(rule);
      return age >= rules.unsynced.afterSeconds
        ? holds(
            rule,
            `${telemetry.outbox.depth} record(s) waiting, the oldest for ${age} s (threshold ${rules.unsynced.afterSeconds} s)`,
          )
        : ended(rule);
    }
    case "diskLow": {
      const { freeBytes, totalBytes } = telemetry.disk;
      if (freeBytes === null || totalBytes === null || totalBytes === undefined || totalBytes <= 0)
        return unknown(rule);
      const percent = (freeBytes / totalBytes) * 100;
      return percent < rules.diskLow.belowPercent
        ? holds(
            rule,
            `${percent.toFixed(1)} % free (${freeBytes} of ${totalBytes} bytes; threshold ${rules.diskLow.belowPercent} %)`,
          )
        : ended(rule);
    }
    case "tamper": {
      const tamper = telemetry.drivers[TAMPER_SWITCH_DEVICE];
      if (!tamper) return unknown(rule);
      return tamper.status === "error" ? holds(rule, healthText("tamper switch", tamper)) : ended(rule);
    }
    case "outOfService": {
      const lock = telemetry.lock;
      if (!lock) return unknown(rule);
      return lock.locked
        ? holds(rule, `locked${lock.by ? ` by ${lock.by}` : ""}${lock.reason ? `: ${lock.reason}` : ""}`)
        : ended(rule);
    }
    case "offline":
      return unknown(rule);
  }
}

/**
 * Every enabled rule's verdict on one kiosk at `now`. Pure: the same facts and time give the same
 * verdicts. What an offline kiosk last reported is as of then, so its telemetry rules are unknown.
 */
export function evaluateKiosk(kiosk: KioskFacts, rules: AlertRulesConfig, now: Date): Verdict[] {
  return ALERT_RULES.filter((rule) => rules[rule].enabled).map((rule) => {
    if (rule === "offline") return offline(kiosk, rules.offline.afterSeconds, now);
    if (kiosk.state !== "online" || kiosk.telemetry === null) return unknown(rule);
    return fromTelemetry(rule, kiosk.telemetry, rules);
  });
}
