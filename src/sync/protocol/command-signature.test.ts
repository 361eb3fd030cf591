import { describe, expect, it } from "vitest";
import {
  commandPrivateKey,
  commandPublicKey,
  hasValidSignature,
  newCommandKeyPair,
  signCommand,
} from "./command-signature.js";

const keys = newCommandKeyPair();
const other = newCommandKeyPair();
const unsigned = {
  commandId: "018f3a2e-1111-7000-8000-000000000001",
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
    expect(hasValidSignature({ ...signed, expiresAt: "2099-01-01T00:00:00.000Z" }, key)).toBe(false);
    expect(hasValidSignature({ ...signed, args: { reason: "x" } }, key)).toBe(false);
    expect(hasValidSignature({ ...signed, signature: "not base64 at all!" }, key)).toBe(false);
    expect(hasValidSignature({ ...signed, signature: "" }, key)).toBe(false);
  });
});
