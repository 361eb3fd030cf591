import { describe, expect, it } from "vitest";
import { backoffDelay } from "./backoff.js";

const policy = { initialDelayMs: 500, maxDelayMs: 30_000 };

describe("backoffDelay", () => {
  it("doubles per failure up to the cap", () => {
    const top = (failures: number) => backoffDelay(failures, policy, () => 1);
    expect([0, 1, 2, 3, 6, 7, 50].map(top)).toEqual([500, 1000, 2000, 4000, 30_000, 30_000, 30_000]);
  });

  it("keeps the jitter within the upper half of the window", () => {
    expect(backoffDelay(2, policy, () => 0)).toBe(1000);
    for (let i = 0; i < 200; i++) {
      const delay = backoffDelay(3, policy);
      expect(delay).toBeGreaterThanOrEqual(2000);
      expect(delay).toBeLessThanOrEqual(4000);
    }
  });
});
