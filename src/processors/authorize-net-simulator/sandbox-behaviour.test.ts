import { describe, expect, it } from "vitest";
import {
  HANGING_CARD,
  REASON_CODE_CARD,
  SANDBOX_APPROVED_CARDS,
  SIMULATOR_DECLINE_CARDS,
  SLOW_CARD,
} from "../../../test/fixtures/authorize-net-test-cards.js";
import { maskDigits } from "../../payments/card/masked-pan.js";
import { testCardNumber } from "../../payments/card/test-card-number.js";
import {
  HANGING_MASK,
  outcomeFor,
  REASON_CODE_MASK,
  SIMULATOR_DECLINE_MASKS,
  SLOW_MASK,
  sandboxCardOf,
} from "./sandbox-behaviour.js";

describe("the sandbox's behaviour cards, known by their masked form", () => {
  it("knows each published number by its masked form", () => {
    expect(sandboxCardOf(maskDigits(REASON_CODE_CARD))).toBe("reason-code");
    expect(sandboxCardOf(maskDigits(HANGING_CARD))).toBe("hang");
    expect(sandboxCardOf(maskDigits(SLOW_CARD))).toBe("slow");
    for (const [pan, reason] of Object.entries(SIMULATOR_DECLINE_CARDS)) {
      expect(sandboxCardOf(maskDigits(pan))).toEqual({ reason });
    }
  });

  it("gives a number made from a mask the same behaviour as the published one", () => {
    for (const mask of [REASON_CODE_MASK, HANGING_MASK, SLOW_MASK, ...Object.keys(SIMULATOR_DECLINE_MASKS)]) {
      expect(sandboxCardOf(maskDigits(testCardNumber(mask)))).toEqual(sandboxCardOf(mask));
      expect(sandboxCardOf(mask)).not.toBeNull();
    }
  });

  it("approves the documented approval cards and numbers of another length or last 4", () => {
    for (const pan of SANDBOX_APPROVED_CARDS) {
      expect(outcomeFor(sandboxCardOf(maskDigits(pan)), 200)).toEqual({ kind: "approve", answer: "now" });
    }
    // One digit longer, or another last 4: no longer the behaviour card.
    expect(sandboxCardOf("422222****2222")).toBeNull();
    expect(sandboxCardOf("400000******0003")).toBeNull();
    // Names on Object's prototype are no masks.
    expect(sandboxCardOf("constructor")).toBeNull();
    expect(sandboxCardOf("__proto__")).toBeNull();
  });

  it("lets the reason-code card's amount pick the reason, and the decline cards ignore it", () => {
    expect(outcomeFor(sandboxCardOf(REASON_CODE_MASK), 200)).toEqual({ kind: "reason", code: 2 });
    expect(outcomeFor(sandboxCardOf(REASON_CODE_MASK), 250)).toEqual({ kind: "approve", answer: "now" });
    expect(outcomeFor(sandboxCardOf("400000******0069"), 1_234)).toEqual({ kind: "reason", code: 8 });
  });
});
