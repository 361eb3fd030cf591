import { describe, expect, it } from "vitest";
import type { Telemetry } from "../../sync/protocol/messages.js";
import { alertRulesSchema, alertsConfigSchema } from "./config.js";
import { evaluateKiosk, type KioskFacts, type Verdict } from "./evaluate.js";
import type { AlertRule } from "./rules.js";

const NOW = new Date("2026-12-03T10:00:00.000Z");
const RULES = alertRulesSchema.parse({
  offline: { afterSeconds: 300 },
  unsynced: { afterSeconds: 600 },
  diskLow: { belowPercent: 10 },
});

const healthy: Telemetry = {
  softwareVersion: "1.0.0",
  uptimeSeconds: 100,
  outbox: { depth: 0, oldestUnsyncedAgeSeconds: null },
  drivers: {
    "card-reader": { status: "connected", detail: null },
    printer: { status: "connected", detail: null },
    tamper: { status: "connected", detail: "closed" },
  },
  disk: { freeBytes: 50, totalBytes: 100 },
  lastSyncAt: null,
  lock: { locked: false, reason: null, by: null },
};

const online = (telemetry: Partial<Telemetry> = {}): KioskFacts => ({
  deviceId: "kiosk-1",
  state: "online",
  stateChangedAt: "2026-12-03T09:00:00.000Z",
  telemetry: { ...healthy, ...telemetry },
  telemetryAt: "2026-12-03T09:59:50.000Z",
});

const verdict = (kiosk: KioskFacts, rule: AlertRule, rules = RULES): Verdict => {
  const found = evaluateKiosk(kiosk, rules, NOW).find((one) => one.rule === rule);
  if (!found) throw new Error(`no verdict for ${rule}`);
  return found;
};
const holdsOf = (kiosk: KioskFacts, rule: AlertRule) => verdict(kiosk, rule).holds;

describe("the alert rules on one kiosk", () => {
  it("a healthy online kiosk holds no rule", () => {
    const verdicts = evaluateKiosk(online(), RULES, NOW);
    expect(verdicts.map((one) => one.rule)).toEqual([
      "offline",
      "printer",
      "reader",
      "unsynced",
      "diskLow",
      "tamper",
      "outOfService",
    ]);
    expect(verdicts.every((one) => one.holds === false)).toBe(true);
  });

  it("offline holds only from the threshold on, and ends when the kiosk is back", () => {
    const gone = (secondsAgo: number): KioskFacts => ({
      ...online(),
      state: "offline",
      stateChangedAt: new Date(NOW.getTime() - secondsAgo * 1000).toISOString(),
    });
    expect(holdsOf(gone(299), "offline")).toBe(false);
    const raised = verdict(gone(300), "offline");
    expect(raised.holds).toBe(true);
    expect(raised.holds === true && raised.detail).toContain("300 s");
    expect(holdsOf(online(), "offline")).toBe(false);
    // A kiosk that never said online or offline: nothing is known.
    expect(holdsOf({ ...online(), state: "unknown", stateChangedAt: null }, "offline")).toBe("unknown");
  });

  it("an offline kiosk's last report is not judged: its telemetry rules are unknown, not cleared", () => {
    const gone: KioskFacts = {
      ...online({ drivers: { printer: { status: "paper-out", detail: null } } }),
      state: "offline",
      stateChangedAt: "2026-12-03T09:59:00.000Z",
    };
    for (const rule of ["printer", "reader", "unsynced", "diskLow", "tamper", "outOfService"] as const)
      expect(holdsOf(gone, rule)).toBe("unknown");
  });

  it("printer: paper out, error and unplugged hold; connected and no printer do not", () => {
    const printer = (status: "paper-out" | "error" | "disconnected" | "connected" | "simulated") =>
      online({ drivers: { printer: { status, detail: "cover open" } } });
    const paperOut = verdict(printer("paper-out"), "printer");
    expect(paperOut).toEqual({ rule: "printer", holds: true, detail: "printer paper-out (cover open)" });
    expect(holdsOf(printer("error"), "printer")).toBe(true);
    expect(holdsOf(printer("disconnected"), "printer")).toBe(true);
    expect(holdsOf(printer("connected"), "printer")).toBe(false);
    expect(holdsOf(printer("simulated"), "printer")).toBe(false);
    expect(holdsOf(online({ drivers: {} }), "printer")).toBe(false);
  });

  it("reader: the card reader or the smart reader unplugged or in error holds", () => {
    expect(
      holdsOf(online({ drivers: { "card-reader": { status: "disconnected", detail: null } } }), "reader"),
    ).toBe(true);
    const smart = verdict(
      online({ drivers: { smartReader: { status: "error", detail: "unknown" } } }),
      "reader",
    );
    expect(smart.holds === true && smart.detail).toContain("smartReader error");
    expect(
      holdsOf(online({ drivers: { "card-reader": { status: "connected", detail: null } } }), "reader"),
    ).toBe(false);
  });

  it("unsynced: the oldest waiting record at or past the threshold holds; nothing waiting does not", () => {
    expect(holdsOf(online({ outbox: { depth: 4, oldestUnsyncedAgeSeconds: 599 } }), "unsynced")).toBe(false);
    const late = verdict(online({ outbox: { depth: 4, oldestUnsyncedAgeSeconds: 600 } }), "unsynced");
    expect(late.holds === true && late.detail).toContain("4 record(s)");
    expect(holdsOf(online({ outbox: { depth: 0, oldestUnsyncedAgeSeconds: null } }), "unsynced")).toBe(false);
  });

  it("diskLow: below the share holds; an unknown size raises nothing", () => {
    expect(holdsOf(online({ disk: { freeBytes: 9, totalBytes: 100 } }), "diskLow")).toBe(true);
    expect(holdsOf(online({ disk: { freeBytes: 10, totalBytes: 100 } }), "diskLow")).toBe(false);
    expect(holdsOf(online({ disk: { freeBytes: 1, totalBytes: null } }), "diskLow")).toBe("unknown");
    expect(holdsOf(online({ disk: { freeBytes: null, totalBytes: 100 } }), "diskLow")).toBe("unknown");
    expect(holdsOf(online({ disk: { freeBytes: 0 } }), "diskLow")).toBe("unknown");
  });

  it("tamper: open holds, closed ends, a kiosk without a switch says nothing", () => {
    expect(holdsOf(online({ drivers: { tamper: { status: "error", detail: "open" } } }), "tamper")).toBe(
      true,
    );
    expect(holdsOf(online(), "tamper")).toBe(false);
    expect(holdsOf(online({ drivers: {} }), "tamper")).toBe("unknown");
  });

  it("outOfService: a locked kiosk holds, with who and why; an older kiosk without the lock says nothing", () => {
    const locked = verdict(
      online({ lock: { locked: true, reason: "cleaning", by: "ops@studio" } }),
      "outOfService",
    );
    expect(locked).toEqual({ rule: "outOfService", holds: true, detail: "locked by ops@studio: cleaning" });
    expect(holdsOf(online(), "outOfService")).toBe(false);
    const { lock: _lock, ...older } = healthy;
    expect(holdsOf({ ...online(), telemetry: older }, "outOfService")).toBe("unknown");
  });

  it("a turned-off rule gives no verdict", () => {
    const rules = alertRulesSchema.parse({ printer: { enabled: false } });
    const verdicts = evaluateKiosk(
      online({ drivers: { printer: { status: "paper-out", detail: null } } }),
      rules,
      NOW,
    );
    expect(verdicts.some((one) => one.rule === "printer")).toBe(false);
  });

  it("an online kiosk without telemetry yet: every telemetry rule is unknown", () => {
    const kiosk: KioskFacts = { ...online(), telemetry: null, telemetryAt: null };
    expect(holdsOf(kiosk, "printer")).toBe("unknown");
    expect(holdsOf(kiosk, "offline")).toBe(false);
  });
});

describe("the alerts configuration", () => {
  it("has defaults that watch every rule and send nothing", () => {
    const config = alertsConfigSchema.parse({});
    expect(config.enabled).toBe(true);
    expect(config.rules.offline.afterSeconds).toBe(300);
    expect(config.email).toBeNull();
    expect(config.webhook).toBeNull();
  });

  it("refuses thresholds out of bounds, addresses that are not, and web hooks that are not http(s)", () => {
    const bad = [
      { rules: { offline: { afterSeconds: 0 } } },
      { rules: { offline: { afterSeconds: 10 * 24 * 3600 } } },
      { rules: { unsynced: { afterSeconds: 1.5 } } },
      { rules: { diskLow: { belowPercent: 100 } } },
      { rules: { diskLow: { belowPercent: 0 } } },
      { rules: { printer: { enabled: true, afterSeconds: 5 } } },
      { intervalSeconds: 0 },
      { email: { to: [] } },
      { email: { to: ["ops@studio.example\r\nBcc: x@y.example"] } },
      { webhook: { url: "file:///etc/passwd" } },
      { webhook: { url: "https://hooks.example/a", timeoutMs: 10 } },
      { dashboardUrl: "javascript:alert(1)" },
    ];
    for (const input of bad)
      expect(alertsConfigSchema.safeParse(input).success, JSON.stringify(input)).toBe(false);
  });
});
