import { describe, expect, it } from "vitest";
import { alertEmail, kioskLink, webhookBody } from "./alert-message.js";
import type { AlertChange } from "./alert-store.js";

const change: AlertChange = {
  event: "cleared",
  alert: {
    id: "42",
    deviceId: "kiosk-lobby-01",
    rule: "printer",
    raisedAt: "2026-12-03T09:00:00.000Z",
    clearedAt: "2026-12-03T09:10:00.000Z",
    detail: 'printer error (<script>alert("x")</script>)',
  },
};

describe("what an alert says", () => {
  it("links to the kiosk's page under the dashboard's public address", () => {
    expect(kioskLink("https://fleet.example/", "kiosk-lobby-01")).toBe(
      "https://fleet.example/kiosks/kiosk-lobby-01",
    );
    expect(kioskLink("https://fleet.example/ops", "k 1")).toBe("https://fleet.example/ops/kiosks/k%201");
    expect(kioskLink(null, "kiosk-lobby-01")).toBeNull();
  });

  it("emails the rule, the kiosk, the times, the detail and the link; the HTML escapes what the kiosk sent", () => {
    const mail = alertEmail(change, "ops@studio.example", "https://fleet.example");
    expect(mail.subject).toBe("[Spectra] Cleared: Printer: paper out or error — kiosk-lobby-01");
    expect(mail.text).toContain("Raised: 2026-12-03T09:00:00.000Z\nCleared: 2026-12-03T09:10:00.000Z");
    expect(mail.text).toContain("Kiosk: https://fleet.example/kiosks/kiosk-lobby-01");
    expect(mail.html).not.toContain("<script>");
    expect(mail.html).toContain("&lt;script&gt;");
    expect(mail.html).toContain('href="https://fleet.example/kiosks/kiosk-lobby-01"');
  });

  it("posts JSON with the event, the alert and the link", () => {
    expect(webhookBody(change, null)).toEqual({
      event: "cleared",
      alert: {
        id: "42",
        rule: "printer",
        title: "Printer: paper out or error",
        deviceId: "kiosk-lobby-01",
        raisedAt: "2026-12-03T09:00:00.000Z",
        clearedAt: "2026-12-03T09:10:00.000Z",
        detail: change.alert.detail,
      },
      kioskUrl: null,
    });
  });
});
