import { describe, expect, it } from "vitest";
import { fixedClock } from "../../core/clock.js";
import { cardPayments, ProcessorAvailability } from "./processor-availability.js";

describe("whether cards can be charged here", () => {
  it("not configured without card processing or with the manual processor only", () => {
    const availability = new ProcessorAvailability(fixedClock("2026-12-02T10:00:00Z"));
    expect(cardPayments(null)).toBe("not-configured");
    expect(cardPayments({ integrated: false, availability })).toBe("not-configured");
  });

  it("unavailable while the processor is unreachable, ready again once it answers", () => {
    const availability = new ProcessorAvailability(fixedClock("2026-12-02T10:00:00Z"));
    const cards = { integrated: true, availability };
    expect(cardPayments(cards)).toBe("ready");
    availability.markUnreachable();
    expect(cardPayments(cards)).toBe("unavailable");
    availability.markReachable();
    expect(cardPayments(cards)).toBe("ready");
  });
});
