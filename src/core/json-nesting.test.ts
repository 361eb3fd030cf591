import { describe, expect, it } from "vitest";
import { jsonNestingExceeds } from "./json-nesting.js";

describe("jsonNestingExceeds", () => {
  it("counts arrays and objects, not brackets inside strings", () => {
    expect(jsonNestingExceeds('{"a":1}', 1)).toBe(false);
    expect(jsonNestingExceeds('{"a":[1]}', 1)).toBe(true);
    expect(jsonNestingExceeds('{"a":[1]}', 2)).toBe(false);
    expect(jsonNestingExceeds('{"a":"[[[[{{{{"}', 1)).toBe(false);
    // An escaped quote does not end the string: the brackets after it are still inside.
    expect(jsonNestingExceeds('{"a":"\\"[[[["}', 1)).toBe(false);
    expect(jsonNestingExceeds('{"a":"\\\\"}', 1)).toBe(false);
    expect(jsonNestingExceeds('[{"a":"\\\\"},[[]]]', 2)).toBe(true);
  });

  it("refuses a text nested far deeper than any stack could walk, without recursing", () => {
    const deep = `${"[".repeat(1_000_000)}${"]".repeat(1_000_000)}`;
    expect(jsonNestingExceeds(deep, 64)).toBe(true);
    expect(jsonNestingExceeds(deep, 1_000_000)).toBe(false);
  });

  it("sibling structures do not add up", () => {
    expect(jsonNestingExceeds(`[${"[],".repeat(10_000)}[]]`, 2)).toBe(false);
  });
});
