import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { cardNumbersIn, filesUnder, isUnitTest } from "../helpers/card-data-scan.js";
import { tempDir } from "../helpers/store.js";

const SRC = fileURLToPath(new URL("../../src", import.meta.url));

/** What the scan reports for the non-test files under `dir`, as "file:line masked". */
const cardNumbersUnder = (dir: string): string[] =>
  cardNumbersIn(filesUnder(dir, "src").filter((file) => !isUnitTest(file.source))).map(
    (found) => `${found.source}:${found.line} ${found.masked}`,
  );

describe("no full card number in what ships (src/, unit tests aside)", () => {
  it("finds no 13–19-digit Luhn-valid number in any source file but unit tests", () => {
    const shipped = filesUnder(SRC, "src").filter((file) => !isUnitTest(file.source));
    // The scan saw the tree: the simulators, the DEV panel's cards and the reader's fixtures.
    expect(shipped.length).toBeGreaterThan(300);
    for (const path of [
      "src/processors/authorize-net-simulator/sandbox-behaviour.ts",
      "src/processors/stripe-simulator/fixtures/test-cards.ts",
      "src/ui/server/fixtures/dev-cards.ts",
      "src/drivers/card-reader/fixtures/test-cards.ts",
    ]) {
      expect(shipped.map((file) => file.source)).toContain(path);
    }
    expect(cardNumbersUnder(SRC)).toEqual([]);
  });

  describe("the scan finds what it must (a tree of its own in a temporary directory)", () => {
    const dir = tempDir("spectra-source-scan-");
    afterAll(() => dir.remove());
    const write = (relative: string, text: string): void => {
      mkdirSync(join(dir.path, relative, ".."), { recursive: true });
      writeFileSync(join(dir.path, relative), text);
    };

    it("reports each number with its file, line and masked form, and never the number", () => {
      write("processors/sim/cards.ts", 'export const CARD = "4111111111111111";\n');
      write(
        "ui/fixtures/dev.ts",
        [
          "// A test card typed as printed:",
          'const spaced = "4242 4242 4242 4242";',
          'const dashed = "3782-822463-10005";',
          "const digits = 5555555555554444; // a number literal, not a string",
        ].join("\n"),
      );
      write("web/strings.json", '{ "hint": "try 6011000000000012" }');
      const found = cardNumbersUnder(dir.path);
      expect(found).toEqual([
        "src/processors/sim/cards.ts:1 411111…1111",
        "src/ui/fixtures/dev.ts:2 424242…4242",
        "src/ui/fixtures/dev.ts:3 378282…0005",
        "src/ui/fixtures/dev.ts:4 555555…4444",
        "src/web/strings.json:1 601100…0012",
      ]);
      expect(found.join("\n")).not.toMatch(/\d{7}/);
    });

    it("reads test helpers as shipped source, and leaves only unit tests aside", () => {
      write("drivers/reader.test-helpers.ts", 'export const PAN = "4000000000000002";\n');
      write("drivers/reader.test.ts", 'const PAN = "4000000000000002";\n');
      expect(cardNumbersUnder(dir.path)).toContain("src/drivers/reader.test-helpers.ts:1 400000…0002");
      expect(cardNumbersUnder(dir.path).some((found) => found.includes("reader.test.ts"))).toBe(false);
    });

    it("passes masked numbers, numbers failing Luhn, short runs and UUIDs", () => {
      const clean = tempDir("spectra-source-scan-clean-");
      try {
        writeFileSync(
          join(clean.path, "ok.ts"),
          [
            'const masked = "411111******1111";',
            'const badCheckDigit = "4111111111111112";',
            'const twelve = "411111111116";',
            'const twenty = "41111111111111111111";',
            'const id = "0c1d4f7e-7165-9862-1026-598a2f3b4c5d";',
            'const amount = "1234567"; const phone = "+1 555 0100";',
          ].join("\n"),
        );
        expect(cardNumbersUnder(clean.path)).toEqual([]);
        // The same file with one card number in it fails.
        writeFileSync(join(clean.path, "leak.ts"), 'const leak = "4012888818888";');
        expect(cardNumbersUnder(clean.path)).toEqual(["src/leak.ts:1 401288…8888"]);
      } finally {
        clean.remove();
      }
    });
  });
});
