import { describe, expect, it } from "vitest";
import { canonicalJson } from "./canonical-json.js";

describe("canonical JSON", () => {
  it("sorts keys at every level as code units, drops undefined members and keeps arrays in order", () => {
    const text = canonicalJson({
      b: [{ z: 1, a: undefined, y: [3, 1] }, null],
      a: { é: 1, Z: 2, e: 3 },
      "10": true,
      "9": "nine",
    });
    expect(text).toBe('{"9":"nine","10":true,"a":{"Z":2,"e":3,"é":1},"b":[{"y":[3,1],"z":1},null]}');
  });

  it("gives equal content the same text, whatever order its keys were written in", () => {
    expect(canonicalJson({ kind: "payment", amountMinor: 100, currency: "USD" })).toBe(
      canonicalJson({ currency: "USD", kind: "payment", amountMinor: 100 }),
    );
  });

  it("keeps a __proto__ key as data, so it counts in the text and cannot change a prototype", () => {
    const hostile = JSON.parse('{"b":1,"__proto__":{"polluted":true}}') as unknown;
    expect(canonicalJson(hostile)).toBe('{"__proto__":{"polluted":true},"b":1}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
