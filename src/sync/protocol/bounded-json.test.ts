import { describe, expect, it } from "vitest";
import { boundedJson, boundedRecord, exceedsBounds } from "./bounded-json.js";

const bounds = { maxDepth: 3, maxNodes: 20, maxEntries: 5, maxStringLength: 10 };

describe("exceedsBounds", () => {
  it("accepts a value within every bound", () => {
    expect(exceedsBounds({ a: [1, "ten chars!", { b: null }] }, bounds)).toBeNull();
  });

  it("names the first bound a value goes past", () => {
    expect(exceedsBounds([[[[1]]]], bounds)).toMatch(/deeper than 3/);
    expect(exceedsBounds([1, 2, 3, 4, 5, 6], bounds)).toMatch(/more than 5 entries/);
    expect(exceedsBounds({ a: 1, b: 2, c: 3, d: 4, e: 5, f: 6 }, bounds)).toMatch(/more than 5 entries/);
    expect(exceedsBounds("eleven char", bounds)).toMatch(/string longer than 10/);
    expect(exceedsBounds({ "a key too long": 1 }, bounds)).toMatch(/key longer than 10/);
    expect(exceedsBounds([[1, 2, 3, 4, 5], [1, 2, 3, 4, 5], [1, 2, 3, 4, 5], [1]], bounds)).toMatch(
      /more than 20 values/,
    );
  });

  it("walks a value nested 100,000 deep without overflowing the stack", () => {
    let deep: unknown = 1;
    for (let level = 0; level < 100_000; level += 1) deep = [deep];
    expect(exceedsBounds(deep, { ...bounds, maxDepth: 200_000, maxNodes: 200_000 })).toBeNull();
    expect(exceedsBounds(deep, bounds)).toMatch(/deeper than 3/);
  });
});

describe("boundedJson and boundedRecord", () => {
  it("refuse values past their bounds and anything that is not JSON", () => {
    const schema = boundedJson(bounds);
    expect(schema.safeParse({ a: [1, 2] }).success).toBe(true);
    expect(schema.safeParse([[[[1]]]]).success).toBe(false);
    expect(schema.safeParse({ a: () => 1 }).success).toBe(false);
    expect(schema.safeParse(Number.NaN).success).toBe(false);
  });

  it("count keys before reading any value", () => {
    const schema = boundedRecord(3, 5, boundedJson(bounds));
    expect(schema.safeParse({ a: 1, b: [2] }).success).toBe(true);
    const wide = Object.fromEntries(Array.from({ length: 100_000 }, (_, index) => [`k${index}`, index]));
    const result = schema.safeParse(wide);
    expect(result.success).toBe(false);
    expect(result.error?.issues).toHaveLength(1);
    expect(result.error?.issues[0]?.message).toMatch(/more than 3 keys/);
    expect(schema.safeParse({ toolong: 1 }).success).toBe(false);
  });
});
