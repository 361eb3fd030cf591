import { describe, expect, it } from "vitest";
import { unstorableTextAt } from "./unstorable-text.js";

describe("unstorableTextAt", () => {
  it("finds a NUL or an unpaired surrogate anywhere, keys included, and names where", () => {
    expect(unstorableTextAt({ note: "fine ñ 😀", method: { reference: "ok" } })).toBeNull();
    expect(unstorableTextAt({ note: "a\u0000b" })).toBe("note");
    expect(unstorableTextAt({ method: { reference: "\ud800" } })).toBe("method.reference");
    expect(unstorableTextAt({ list: ["ok", "\udc00x"] })).toBe("list[1]");
    expect(unstorableTextAt({ "bad\u0000key": 1 })).toBe("a key in the value");
    expect(unstorableTextAt("😀".slice(0, 1))).toBe("(the value)");
  });

  it("walks a value nested 100,000 deep without overflowing the stack", () => {
    let deep: unknown = "\u0000";
    for (let level = 0; level < 100_000; level += 1) deep = [deep];
    expect(unstorableTextAt(deep)).toMatch(/^\[0\]/);
  });
});
