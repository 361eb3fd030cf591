import { describe, expect, it } from "vitest";
import { storableText } from "./dead-letters.js";

describe("storableText", () => {
  it("leaves no NUL, no lone surrogate and no card number, within its length", () => {
    const text = storableText("a\u0000b \ud800 card 4111111111111111 \udc00 end", 1000);
    expect(text).not.toContain("\u0000");
    expect(text).not.toMatch(/[\ud800-\udfff]/);
    expect(text).not.toContain("4111111111111111");
    expect(text).toContain("411111******1111");
  });

  it("mends a surrogate pair the cut splits", () => {
    const text = storableText("ab😀", 3);
    expect(text).toHaveLength(3);
    expect(text).not.toMatch(/[\ud800-\udfff]/);
    expect(JSON.parse(JSON.stringify(text))).toBe("ab\ufffd");
  });
});
