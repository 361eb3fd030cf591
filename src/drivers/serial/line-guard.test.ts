import { ReadlineParser } from "@serialport/parser-readline";
import { describe, expect, it } from "vitest";
import { LineGuard } from "./line-guard.js";

/** Runs chunks through guard + readline, as the reader does, and returns the lines. */
async function lines(delimiter: string, max: number, chunks: readonly string[]): Promise<string[]> {
  const guard = new LineGuard(delimiter, max);
  const parser = new ReadlineParser({ delimiter, encoding: "latin1" });
  const out: string[] = [];
  parser.on("data", (line: string) => out.push(line));
  guard.pipe(parser);
  for (const chunk of chunks) guard.write(Buffer.from(chunk, "latin1"));
  await new Promise((resolve) => setImmediate(resolve));
  return out;
}

describe("LineGuard", () => {
  it("passes lines up to the limit untouched, with one- and two-byte line endings", async () => {
    expect(await lines("\r", 5, ["abcde\rab", "c\r"])).toEqual(["abcde", "abc"]);
    expect(await lines("\r\n", 5, ["abcde\r", "\nxy\r\n"])).toEqual(["abcde", "xy"]);
  });

  it("cuts an overlong line to just over the limit so it is recognisable, then carries on", async () => {
    const out = await lines("\r", 5, ["abcdefghij", "klmnop\rnext\r"]);
    expect(out).toEqual(["abcdef", "next"]);
    const crlf = await lines("\r\n", 5, [`${"x".repeat(50)}\r`, "\nok\r\n"]);
    expect(crlf[0]?.length).toBeGreaterThan(5);
    expect(crlf[1]).toBe("ok");
  });

  it("keeps memory bounded on a line that never ends", async () => {
    const out = await lines("\r", 100, Array.from({ length: 1000 }, () => "z".repeat(1000)).concat(["\r"]));
    expect(out).toHaveLength(1);
    expect(out[0]?.length).toBe(101);
  });

  it("keeps a carriage return alone inside a CR LF line", async () => {
    expect(await lines("\r\n", 10, ["a\rb\r\n"])).toEqual(["a\rb"]);
  });
});
