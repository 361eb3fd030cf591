import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { expectKioskError } from "../../test/helpers/kiosk-error.js";
import { ErrorCodes } from "../core/error-codes.js";
import { readKioskSecret, secretsDir } from "./kiosk-secrets.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function dataDirWith(name: string, value: string, mode: number): string {
  const dataDir = mkdtempSync(join(tmpdir(), "spectra-secrets-"));
  dirs.push(dataDir);
  mkdirSync(secretsDir(dataDir), { mode: 0o700 });
  const file = join(secretsDir(dataDir), name);
  writeFileSync(file, value);
  chmodSync(file, mode);
  return dataDir;
}

describe("readKioskSecret", () => {
  it("reads a secret only its owner can read", () => {
    const dataDir = dataDirWith("authorize-net-transaction-key", "SimTransKey00001\n", 0o600);
    expect(readKioskSecret(dataDir, "authorize-net-transaction-key")).toBe("SimTransKey00001");
  });

  it("refuses a secret others can read, and says what to do", () => {
    const dataDir = dataDirWith("authorize-net-transaction-key", "SimTransKey00001", 0o644);
    expectKioskError(
      () => readKioskSecret(dataDir, "authorize-net-transaction-key"),
      ErrorCodes.CONFIG_SECRET_EXPOSED,
    );
  });

  it("says a missing secret is missing, and refuses a name that could leave the folder", () => {
    const dataDir = dataDirWith("other", "x", 0o600);
    expectKioskError(
      () => readKioskSecret(dataDir, "authorize-net-transaction-key"),
      ErrorCodes.CONFIG_SECRET_MISSING,
    );
    expectKioskError(() => readKioskSecret(dataDir, "../other"), ErrorCodes.CONFIG_SECRET_MISSING);
  });
});
