import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG_PATH, parseConfig } from "../../config/load.js";
import { selfServiceMethods } from "./self-service-settings.js";

const withProcessor = (processor: Record<string, unknown>) =>
  parseConfig({ ...JSON.parse(readFileSync(DEFAULT_CONFIG_PATH, "utf8")), processor }, "test");

describe("selfServiceMethods", () => {
  it("offers clients cards whenever the configured processor takes swiped cards", () => {
    const cards = (processor: Record<string, unknown>) =>
      selfServiceMethods(withProcessor(processor)).filter((method) => method.type === "card");
    expect(cards({ kind: "authorize-net-simulator" }).length).toBeGreaterThan(0);
    expect(cards({ kind: "authorize-net", apiLoginId: "5KP3u95bQpv" }).length).toBeGreaterThan(0);
    // Stripe takes cards at its smart reader, never a swipe here: cards only with a reader.
    const stripe = { kind: "stripe", apiKeyFile: "/etc/spectra-kiosk/stripe.key" };
    expect(cards({ ...stripe, readerId: "tmr_FDOt2wlRZEdpd7" }).length).toBeGreaterThan(0);
    expect(cards(stripe)).toEqual([]);
    // Manual entry needs staff and their own terminal: no card method for the client.
    expect(cards({ kind: "manual" })).toEqual([]);
  });
});
