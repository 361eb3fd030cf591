import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { removeGlobalsNeedingWebAssembly } from "./web-globals.js";

describe("removeGlobalsNeedingWebAssembly", () => {
  it("leaves a node with WebAssembly as it is", () => {
    const scope: Record<string, unknown> = { WebAssembly: {}, fetch: () => null, Response: class {} };
    expect(removeGlobalsNeedingWebAssembly(scope)).toEqual([]);
    expect(Object.keys(scope)).toEqual(["WebAssembly", "fetch", "Response"]);
  });

  it("without WebAssembly, removes fetch and its classes so a feature test finds them absent", () => {
    const scope: Record<string, unknown> = {
      fetch: () => null,
      Response: class {},
      Headers: class {},
      Buffer: 1,
    };
    expect(removeGlobalsNeedingWebAssembly(scope)).toEqual(["fetch", "Headers", "Response"]);
    expect(Object.keys(scope)).toEqual(["Buffer"]);
  });

  it("keeps a lite-mode node alive when a package looks for Response (as pg does when loaded)", () => {
    const script = `
      const { removeGlobalsNeedingWebAssembly } = await import(${JSON.stringify(new URL("../../dist/app/web-globals.js", import.meta.url).href)});
      removeGlobalsNeedingWebAssembly();
      console.log(typeof Response === "function" ? "present" : "absent");
      setTimeout(() => console.log("alive"), 50);`;
    const output = execFileSync(
      process.execPath,
      ["--lite-mode", "--no-expose-wasm", "--input-type=module", "-e", script],
      {
        encoding: "utf8",
      },
    );
    expect(output.split("\n")).toEqual(["absent", "alive", ""]);
  });
});
