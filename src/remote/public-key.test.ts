import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { tempDir } from "../../test/helpers/store.js";
import { createMemoryLogger } from "../core/logger.js";
import { newCommandKeyPair } from "../sync/protocol/command-signature.js";
import { centralPublicKey } from "./public-key.js";

const dir = tempDir();
afterAll(() => dir.remove());
const keys = newCommandKeyPair();

describe("central's command key on the kiosk", () => {
  it("comes inline or from a file, read when needed", () => {
    const base = {
      commandPublicKey: null,
      commandPublicKeyFile: null,
      releaseKeyFile: "/etc/spectra-kiosk/release-key.pub",
      maxClockSkewSeconds: 120,
    };
    expect(
      centralPublicKey({ ...base, commandPublicKey: keys.publicKeyPem }, createMemoryLogger())
        ?.asymmetricKeyType,
    ).toBe("ed25519");
    const file = join(dir.path, "central.pub");
    const logger = createMemoryLogger();
    expect(centralPublicKey({ ...base, commandPublicKeyFile: file }, logger)).toBeNull(); // not there yet
    expect(logger.lines.join()).toContain("ENOENT");
    writeFileSync(file, keys.publicKeyPem);
    expect(centralPublicKey({ ...base, commandPublicKeyFile: file }, logger)?.asymmetricKeyType).toBe(
      "ed25519",
    );
    writeFileSync(file, "garbage");
    expect(centralPublicKey({ ...base, commandPublicKeyFile: file }, logger)).toBeNull();
    expect(centralPublicKey(base, logger)).toBeNull();
  });
});
