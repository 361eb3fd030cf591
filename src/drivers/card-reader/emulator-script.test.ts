import { describe, expect, it } from "vitest";
import { DEFAULT_CARD_PREFIXES } from "../../payments/card/card-brand.js";
import { scriptStep } from "./emulator-script.js";
import { DEFAULT_SCAN_OPTIONS } from "./invoice-scan.js";
import { routeLine } from "./line-router.js";

const context = {
  role: "both" as const,
  swipe: { prefixes: DEFAULT_CARD_PREFIXES, now: new Date("2026-11-26T00:00:00Z"), rejectExpired: true },
  scan: DEFAULT_SCAN_OPTIONS,
  maxLineLength: 2048,
};

function played(text: string): string {
  const result = scriptStep(text, "\r");
  if (!result.ok || result.step?.kind !== "send") throw new Error(`no bytes for ${text}`);
  return result.step.bytes.toString("latin1");
}

describe("reader emulator script", () => {
  it.each([
    ["@swipe visa", "cardRead"],
    ["@track2 amex", "cardRead"],
    ["@full discover", "cardRead"],
    ["@magnesafe mastercard", "cardRead"],
    ["@expired visa", "cardRejected"],
    ["@badluhn visa", "cardRejected"],
    ["@error", "cardRejected"],
    ["INV-10042", "invoiceScan"],
  ])("plays %s as something the reader turns into %s", (text, event) => {
    const bytes = played(text);
    expect(bytes.endsWith("\r")).toBe(true);
    expect(routeLine(bytes.slice(0, -1), context)?.type).toBe(event);
  });

  it("makes noise without line endings inside, long lines, and pauses", () => {
    expect(played("@noise 500").slice(0, -1)).not.toContain("\r");
    expect(played("@long 5000")).toHaveLength(5001);
    expect(scriptStep("@wait 250", "\r")).toEqual({ ok: true, step: { kind: "wait", ms: 250 } });
    expect(scriptStep("# comment", "\r")).toEqual({ ok: true, step: null });
  });

  it("says what is wrong with a bad macro", () => {
    expect(scriptStep("@swipe diners", "\r")).toMatchObject({ ok: false });
    expect(scriptStep("@wait soon", "\r")).toMatchObject({ ok: false });
    expect(scriptStep("@dance", "\r")).toEqual({ ok: false, problem: "unknown macro @dance" });
  });
});
