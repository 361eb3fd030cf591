import { describe, expect, it } from "vitest";
import { expectKioskErrorAsync } from "../../../test/helpers/kiosk-error.js";
import { ErrorCodes } from "../../core/error-codes.js";
import { hashPin, PIN_HASH_PATTERN, verifyPin } from "./pin-hash.js";

describe("PIN hashes", () => {
  it("verifies the right PIN only, and never contains the PIN", async () => {
    const hash = await hashPin("482913");
    expect(hash).toMatch(PIN_HASH_PATTERN);
    expect(hash).not.toContain("482913");
    expect(await verifyPin("482913", hash)).toBe(true);
    expect(await verifyPin("482914", hash)).toBe(false);
  });

  it("salts each hash", async () => {
    expect(await hashPin("1234")).not.toBe(await hashPin("1234"));
  });

  it("refuses PINs that are not 4–8 digits and hashes that are not scrypt", async () => {
    await expectKioskErrorAsync(() => hashPin("12"), ErrorCodes.STAFF_PIN_INVALID);
    await expectKioskErrorAsync(() => hashPin("12ab"), ErrorCodes.STAFF_PIN_INVALID);
    await expectKioskErrorAsync(() => verifyPin("1234", "1234"), ErrorCodes.STAFF_PIN_HASH_INVALID);
  });
});
