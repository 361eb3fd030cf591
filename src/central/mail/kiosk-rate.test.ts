import { describe, expect, it } from "vitest";
import { KioskRate } from "./kiosk-rate.js";

describe("a kiosk's hourly allowance", () => {
  it("refuses the request over the allowance until the oldest is an hour old, kiosk by kiosk", () => {
    const rate = new KioskRate(2);
    const t0 = Date.parse("2026-12-02T10:00:00Z");
    expect(rate.take("kiosk-a", t0)).toBe(true);
    expect(rate.take("kiosk-a", t0 + 1000)).toBe(true);
    expect(rate.take("kiosk-a", t0 + 2000)).toBe(false);
    expect(rate.take("kiosk-b", t0 + 2000)).toBe(true);
    expect(rate.take("kiosk-a", t0 + 3_600_001)).toBe(true);
    expect(rate.take("kiosk-a", t0 + 3_600_002)).toBe(false);
  });
});
