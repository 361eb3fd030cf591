import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsonNestingDepth as depthWithin } from "./json-nesting.js";

const MAX_JSON_DEPTH = 32;
const jsonNestingDepth = (bytes: Uint8Array, limit = MAX_JSON_DEPTH): number => depthWithin(bytes, limit);

const bytes = (text: string) => Buffer.from(text, "utf8");

/** The depth as a recursive reader sees it: the reference the scan must agree with. */
function depthOf(value: unknown): number {
  if (typeof value !== "object" || value === null) return 0;
  const children = Array.isArray(value) ? value : Object.values(value);
  return 1 + Math.max(0, ...children.map(depthOf));
}

describe("jsonNestingDepth", () => {
  it("agrees with a recursive reading of any JSON text, brackets inside strings and keys included", () => {
    const tricky = fc.constantFrom("[", "]", "{", "}", '"', "\\", '\\"', "\\\\", "ñ", "\u2028", "€[");
    const text = fc
      .array(fc.oneof(tricky, fc.string({ maxLength: 3, unit: "grapheme" })), { maxLength: 8 })
      .map((parts) => parts.join(""));
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: "small" },
        text,
        fc.integer(),
        fc.constant(null),
        fc.array(tie("node"), { maxLength: 4 }),
        fc.dictionary(text, tie("node"), { maxKeys: 4 }),
      ),
    })).node;
    fc.assert(
      fc.property(value, (json) => {
        expect(jsonNestingDepth(bytes(JSON.stringify(json)), 1000)).toBe(depthOf(json));
      }),
      { numRuns: 500 },
    );
  });

  it("stops counting past the limit, in one pass, however deep the text goes", () => {
    const deep = `${"[".repeat(1_000_000)}${"]".repeat(1_000_000)}`;
    const started = performance.now();
    expect(jsonNestingDepth(bytes(deep))).toBe(MAX_JSON_DEPTH + 1);
    expect(
      jsonNestingDepth(bytes(`{"a":${"[".repeat(MAX_JSON_DEPTH - 1)}${"]".repeat(MAX_JSON_DEPTH - 1)}}`)),
    ).toBe(MAX_JSON_DEPTH);
    // Unbalanced closers cannot drive the count below zero and hide a deep part behind them.
    expect(jsonNestingDepth(bytes(`${"]".repeat(100)}${"[".repeat(40)}`), 32)).toBe(33);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("does not count brackets in strings, escaped quotes included", () => {
    expect(jsonNestingDepth(bytes(JSON.stringify({ note: '[[[[{{{{\\"[[[' })))).toBe(1);
    expect(jsonNestingDepth(bytes(JSON.stringify(["\\", "[[["])))).toBe(1);
  });
});
