import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ErrorCodes } from "../core/error-codes.js";
import { createMemoryLogger } from "../core/logger.js";
import { SigningKey } from "./signing-key.js";

describe("central's signing key for what it sends kiosks", () => {
  it("says a missing key once, again when the problem changes, and forgets it once the key is there", () => {
    const { privateKey } = generateKeyPairSync("ed25519");
    let problem: string | null = "no command key file";
    const logger = createMemoryLogger();
    const key = new SigningKey(
      (): KeyObject => {
        if (problem) throw new Error(problem);
        return privateKey;
      },
      logger,
      { code: ErrorCodes.CENTRAL_CATALOG_NOT_SIGNED, what: "catalog pages are not sent to kiosks" },
    );
    const said = () => logger.lines.filter((line) => line.includes(ErrorCodes.CENTRAL_CATALOG_NOT_SIGNED));

    expect([key.get(), key.get(), key.get()]).toEqual([null, null, null]);
    expect(said()).toHaveLength(1);
    expect(said()[0]).toContain("catalog pages are not sent to kiosks: no command key file");
    problem = "the command key file is not owner-only";
    expect(key.get()).toBeNull();
    expect(said()).toHaveLength(2);
    problem = null;
    expect(key.get()).toBe(privateKey);
    problem = "the command key file is not owner-only";
    expect(key.get()).toBeNull();
    expect(said()).toHaveLength(3);
  });
});
