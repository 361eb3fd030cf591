import { describe, expect, it } from "vitest";
import { addDays, addMonths, monthGrid } from "./calendar.js";
import { digitsOf, minorOf, typeInto } from "./keypad.js";

describe("keypad", () => {
  it("types money cash-register style and ignores what a field does not take", () => {
    let text = "";
    for (const key of ["0", "2", "5", "x", ".", "0", "0"]) text = typeInto("money", text, "key", key);
    expect(text).toBe("2500");
    expect(minorOf(text)).toBe(2500);
    expect(typeInto("money", text, "backspace")).toBe("250");
    expect(typeInto("money", text, "clear")).toBe("");
    expect(digitsOf(0)).toBe("");
  });

  it("caps lengths and upper-cases codes", () => {
    expect(typeInto("pin", "12345678", "key", "9")).toBe("12345678");
    expect(typeInto("authorizationCode", "ab1", "key", "c")).toBe("ab1C");
    expect(typeInto("checkNumber", "12", "key", "A")).toBe("12");
    expect(typeInto("invoiceNumber", "A", "key", "-")).toBe("A-");
  });
});

describe("calendar", () => {
  it("adds days and months across year ends", () => {
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addMonths("2026-12", 1)).toBe("2027-01");
    expect(addMonths("2026-01", -1)).toBe("2025-12");
  });

  it("lays a month out in Sunday-first weeks", () => {
    const weeks = monthGrid("2026-11"); // 1 November 2026 is a Sunday
    expect(weeks[0]?.[0]).toBe("2026-11-01");
    expect(weeks.flat().filter(Boolean)).toHaveLength(30);
    expect(weeks.every((week) => week.length === 7)).toBe(true);
    expect(monthGrid("2026-12")[0]?.slice(0, 3)).toEqual([null, null, "2026-12-01"]); // a Tuesday
  });
});
