import { describe, expect, it } from "vitest";
import { expectKioskError } from "../../test/helpers/kiosk-error.js";
import { ErrorCodes } from "./error-codes.js";
import { newDeviceKeyPair, openSealedSecret, type SealedSecret, sealSecret } from "./sealed-secret.js";

const context = { deviceId: "kiosk-lakeside-01", name: "authorize-net-transaction-key" };

describe("secrets sealed to a device", () => {
  it("opens only with that device's private key, for that device and name", () => {
    const device = newDeviceKeyPair();
    const other = newDeviceKeyPair();
    const sealed = sealSecret("4kJd9T2z8mPq5vXw", device.publicKeyPem, context);
    expect(JSON.stringify(sealed)).not.toContain("4kJd9T2z8mPq5vXw");
    expect(openSealedSecret(sealed, device.privateKeyPem, context)).toBe("4kJd9T2z8mPq5vXw");
    expectKioskError(
      () => openSealedSecret(sealed, other.privateKeyPem, context),
      ErrorCodes.REMOTE_SECRET_UNREADABLE,
    );
    expectKioskError(
      () => openSealedSecret(sealed, device.privateKeyPem, { ...context, deviceId: "kiosk-other" }),
      ErrorCodes.REMOTE_SECRET_UNREADABLE,
    );
    expectKioskError(
      () => openSealedSecret(sealed, device.privateKeyPem, { ...context, name: "stripe-restricted-key" }),
      ErrorCodes.REMOTE_SECRET_UNREADABLE,
    );
  });

  it("refuses a secret changed on the way, and seals the same secret differently each time", () => {
    const device = newDeviceKeyPair();
    const sealed = sealSecret("4kJd9T2z8mPq5vXw", device.publicKeyPem, context);
    const flipped = Buffer.from(sealed.ciphertext, "base64url");
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    const tampered: SealedSecret = { ...sealed, ciphertext: flipped.toString("base64url") };
    expectKioskError(
      () => openSealedSecret(tampered, device.privateKeyPem, context),
      ErrorCodes.REMOTE_SECRET_UNREADABLE,
    );
    expectKioskError(
      () => openSealedSecret({ ...sealed, epk: "AAAA" }, device.privateKeyPem, context),
      ErrorCodes.REMOTE_SECRET_UNREADABLE,
    );
    const again = sealSecret("4kJd9T2z8mPq5vXw", device.publicKeyPem, context);
    expect(again.ciphertext).not.toBe(sealed.ciphertext);
    expect(again.epk).not.toBe(sealed.epk);
  });
});
