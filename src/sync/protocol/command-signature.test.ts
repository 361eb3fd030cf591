import { describe, expect, it } from "vitest";
import {
  commandPrivateKey,
  commandPublicKey,
  hasValidSignature,
  newCommandKeyPair,
  signCommand,
  signDesiredConfig,
  verifiesAs,
} from "./command-signature.js";

const keys = newCommandKeyPair();
const other = newCommandKeyPair();
const unsigned = {
  commandId: "018f3a2e-1111-7000-8000-000000000001",
  deviceId: "kiosk-a",
  name: "lock" as const,
  args: { reason: "cleaning", nested: { b: 2, a: 1 } },
  issuedAt: "2026-11-26T17:00:00.000Z",
  expiresAt: "2026-11-26T17:05:00.000Z",
  issuedBy: "ops@studio",
};

describe("command signatures", () => {
  it("verify with central's public key, whatever order the fields arrive in", () => {
    const signed = signCommand(unsigned, commandPrivateKey(keys.privateKeyPem));
    expect(hasValidSignature(signed, commandPublicKey(keys.publicKeyPem))).toBe(true);
    const reordered = JSON.parse(
      JSON.stringify({
        signature: signed.signature,
        ...unsigned,
        args: { nested: { a: 1, b: 2 }, reason: "cleaning" },
      }),
    );
    expect(hasValidSignature(reordered, commandPublicKey(keys.publicKeyPem))).toBe(true);
  });

  it("fail for another key, any changed field, or garbage", () => {
    const signed = signCommand(unsigned, commandPrivateKey(keys.privateKeyPem));
    const key = commandPublicKey(keys.publicKeyPem);
    expect(hasValidSignature(signed, commandPublicKey(other.publicKeyPem))).toBe(false);
    expect(hasValidSignature({ ...signed, name: "unlock" }, key)).toBe(false);
    expect(hasValidSignature({ ...signed, deviceId: "kiosk-b" }, key)).toBe(false);
    expect(hasValidSignature({ ...signed, expiresAt: "2099-01-01T00:00:00.000Z" }, key)).toBe(false);
    expect(hasValidSignature({ ...signed, args: { reason: "x" } }, key)).toBe(false);
    expect(hasValidSignature({ ...signed, signature: "not base64 at all!" }, key)).toBe(false);
    expect(hasValidSignature({ ...signed, signature: "" }, key)).toBe(false);
  });
});

describe("desired configuration signatures", () => {
  const desired = {
    deviceId: "kiosk-a",
    version: 3,
    settings: { "limits.maxAmountMinor": 250_000, staff: [{ name: "Ana", pinHash: "x" }] },
    issuedAt: "2026-11-26T17:00:00.000Z",
    expiresAt: "2026-12-26T17:00:00.000Z",
    issuedBy: "ops@studio",
  };

  it("verify over every field: device, version, settings and expiry", () => {
    const key = commandPublicKey(keys.publicKeyPem);
    const signed = signDesiredConfig(desired, commandPrivateKey(keys.privateKeyPem));
    expect(verifiesAs("desiredConfig", signed, key)).toBe(true);
    expect(verifiesAs("desiredConfig", { ...signed, deviceId: "kiosk-b" }, key)).toBe(false);
    expect(verifiesAs("desiredConfig", { ...signed, version: 4 }, key)).toBe(false);
    expect(verifiesAs("desiredConfig", { ...signed, settings: { "log.level": "debug" } }, key)).toBe(false);
    expect(verifiesAs("desiredConfig", { ...signed, expiresAt: "2099-01-01T00:00:00.000Z" }, key)).toBe(
      false,
    );
  });

  it("never verify as the other kind: a command's signature is no configuration's", () => {
    const key = commandPublicKey(keys.publicKeyPem);
    const command = signCommand(unsigned, commandPrivateKey(keys.privateKeyPem));
    expect(verifiesAs("desiredConfig", command, key)).toBe(false);
    const config = signDesiredConfig(desired, commandPrivateKey(keys.privateKeyPem));
    expect(verifiesAs("command", config, key)).toBe(false);
  });

  it("keep a key named __proto__ as data: it is signed, not turned into a prototype", () => {
    const key = commandPublicKey(keys.publicKeyPem);
    const settings = JSON.parse('{"a": {"__proto__": {"polluted": true}}}');
    const signed = signDesiredConfig({ ...desired, settings }, commandPrivateKey(keys.privateKeyPem));
    expect(verifiesAs("desiredConfig", signed, key)).toBe(true);
    expect(verifiesAs("desiredConfig", { ...signed, settings: { a: {} } }, key)).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
