import { describe, expect, it } from "vitest";
import type { GroupActionPart } from "./group-action-queries.js";
import { isSettled, partOutcome } from "./part-outcome.js";

const NOW = new Date("2026-12-03T06:00:00.000Z");
const part = (change: Partial<GroupActionPart>): GroupActionPart => ({
  deviceId: "kiosk-a",
  commandId: null,
  configVersion: null,
  refusal: null,
  delivery: null,
  expiresAt: null,
  answer: null,
  runs: null,
  refusedVersion: null,
  ...change,
});

describe("one kiosk's outcome in a group action", () => {
  it("is pending until central has done its part, refused when central refused it", () => {
    expect(partOutcome(part({}), NOW)).toBe("pending");
    expect(partOutcome(part({ refusal: "[DASHBOARD_KIOSK_UNKNOWN] …" }), NOW)).toBe("refused");
  });

  it("for a command: the kiosk's answer, else whatever delivery CommandSender recorded", () => {
    const command = { commandId: "c1", expiresAt: "2026-12-03T06:05:00.000Z" };
    expect(partOutcome(part({ ...command, delivery: "delivered" }), NOW)).toBe("delivered");
    expect(partOutcome(part({ ...command, delivery: "queued" }), NOW)).toBe("queued");
    expect(partOutcome(part({ ...command, delivery: "expired" }), NOW)).toBe("expired");
    expect(
      partOutcome(
        part({
          ...command,
          delivery: "delivered",
          answer: { outcome: "completed", code: null, detail: null },
        }),
        NOW,
      ),
    ).toBe("completed");
    expect(
      partOutcome(part({ ...command, delivery: "delivered", expiresAt: "2026-12-03T05:59:00.000Z" }), NOW),
    ).toBe("no-answer");
  });

  it("for a configuration: applied, refused by the kiosk, or its delivery", () => {
    expect(partOutcome(part({ configVersion: 3, delivery: "sent", runs: 2 }), NOW)).toBe("sent");
    expect(partOutcome(part({ configVersion: 3, delivery: "sent", runs: 3 }), NOW)).toBe("applied");
    expect(partOutcome(part({ configVersion: 3, delivery: "sent", runs: 2, refusedVersion: 3 }), NOW)).toBe(
      "refused-by-kiosk",
    );
  });

  it("says which outcomes may still change", () => {
    expect(["pending", "sent", "accepted", "queued"].some(isSettled)).toBe(false);
    expect(["completed", "failed", "refused", "applied", "expired", "not-sent"].every(isSettled)).toBe(true);
  });
});
