import { describe, expect, it } from "vitest";
import { formatMoment, formatTime } from "./format.js";

describe("times on the studio's clock", () => {
  it("says a time of day in the studio's zone, whatever zone this machine is in", () => {
    expect(formatTime("2026-11-27T03:00:00Z", "en-US", "America/Denver")).toBe("8:00 PM");
    expect(formatTime("2026-11-27T03:00:00Z", "en-US", "Asia/Tokyo")).toBe("12:00 PM");
    expect(formatTime("2026-11-27T03:00:00Z", "en-US", "America/Denver", "short")).toBe("11/26/26, 8:00 PM");
  });

  it("leaves the date out on the studio's today, and says it on another day", () => {
    const now = new Date("2026-11-27T05:00:00Z"); // 10 PM on the 26th in Denver, the 27th in UTC
    expect(formatMoment("2026-11-26T20:00:00Z", "en-US", "America/Denver", now)).toBe("1:00 PM");
    expect(formatMoment("2026-11-26T20:00:00Z", "en-US", "UTC", now)).toBe("Nov 26, 2026, 8:00 PM");
  });
});
