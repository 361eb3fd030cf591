import { describe, expect, it } from "vitest";
import { ErrorCodes } from "../../../core/error-codes.js";
import { groupOf, parseStudio, parseTags, TAGS_MAX } from "./placement.js";

const refusedWith = (run: () => unknown, text: string): void => {
  expect(run).toThrowError(expect.objectContaining({ code: ErrorCodes.DASHBOARD_GROUP_INVALID }));
  expect(run).toThrowError(text);
};

describe("a kiosk's placement: studio and tags, bounded", () => {
  it("takes a studio's name as people write it, and none for blank", () => {
    expect(parseStudio("  Lakeside   Portraits ")).toBe("Lakeside Portraits");
    expect(parseStudio("Estudio Núñez & Hijos")).toBe("Estudio Núñez & Hijos");
    expect(parseStudio("O'Neil Photo Co.")).toBe("O'Neil Photo Co.");
    expect(parseStudio("Studio #5: Smith+Jones")).toBe("Studio #5: Smith+Jones");
    expect(parseStudio("   ")).toBeNull();
  });

  it("refuses markup, control characters and overlong names", () => {
    refusedWith(() => parseStudio("<script>alert(1)</script>"), "letters, digits");
    refusedWith(() => parseStudio("Lake\u0000side"), "letters, digits");
    refusedWith(() => parseStudio('Lake "side"'), "letters, digits");
    refusedWith(() => parseStudio("-Lakeside"), "starts with a letter");
    refusedWith(() => parseStudio("x".repeat(81)), "at most 80");
    expect(parseStudio("x".repeat(80))).toHaveLength(80);
  });

  it("takes tags separated by commas or spaces, lowercased, once each, sorted", () => {
    expect(parseTags("Front-Desk, floor2  front-desk,,mall")).toEqual(["floor2", "front-desk", "mall"]);
    expect(parseTags(["b", "a", "a"])).toEqual(["a", "b"]);
    expect(parseTags("")).toEqual([]);
  });

  it("refuses a bad tag, too many tags, and a flood of separators' worth of tags", () => {
    refusedWith(() => parseTags("ok, no_underscore"), 'not "no_underscore"');
    refusedWith(() => parseTags("-lead"), "starting with a letter or digit");
    refusedWith(() => parseTags("t".repeat(33)), "1 to 32");
    refusedWith(
      () => parseTags(Array.from({ length: TAGS_MAX + 1 }, (_, i) => `t${i}`).join(",")),
      "at most 12",
    );
    refusedWith(() => parseTags("a ".repeat(100_000)), "at most 12");
  });

  it("reads the group a request names", () => {
    expect(groupOf(new URLSearchParams("studio=Lakeside+Portraits"))).toEqual({
      kind: "studio",
      name: "Lakeside Portraits",
    });
    expect(groupOf(new URLSearchParams("tag=Mall"))).toEqual({ kind: "tag", name: "mall" });
    expect(groupOf(new URLSearchParams(""))).toBeNull();
    refusedWith(() => groupOf(new URLSearchParams("studio=a&tag=b")), "not both");
    refusedWith(() => groupOf(new URLSearchParams("studio=")), "Name the studio");
  });
});
