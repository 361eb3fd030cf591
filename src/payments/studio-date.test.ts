import { describe, expect, it } from "vitest";
import { isStudioDate, studioToday } from "./studio-date.js";

describe("studio dates", () => {
  it("is today in the studio's time zone, not UTC's", () => {
    const lateEveningInDenver = new Date("2026-11-27T05:30:00Z"); // 22:30 on the 26th in Denver
    expect(studioToday(lateEveningInDenver, "America/Denver")).toBe("2026-11-26");
    expect(studioToday(lateEveningInDenver, "UTC")).toBe("2026-11-27");
    expect(studioToday(lateEveningInDenver, "Asia/Tokyo")).toBe("2026-11-27");
  });

  it("accepts only real calendar dates", () => {
    expect(isStudioDate("2028-02-29")).toBe(true);
    expect(isStudioDate("2027-02-29")).toBe(false);
    expect(isStudioDate("2026-13-01")).toBe(false);
    expect(isStudioDate("26-11-2026")).toBe(false);
  });
});
