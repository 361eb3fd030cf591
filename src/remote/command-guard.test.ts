import { describe, expect, it } from "vitest";
import {
  commandPrivateKey,
  commandPublicKey,
  newCommandKeyPair,
  signCommand,
} from "../sync/protocol/command-signature.js";
import { checkCommand } from "./command-guard.js";

const keys = newCommandKeyPair();
const publicKey = commandPublicKey(keys.publicKeyPem);
const now = new Date("2026-11-26T17:00:00Z");
const unsigned = {
  commandId: "01a2179d-0000-7000-8000-000000000001",
  deviceId: "kiosk-a",
  name: "lock" as const,
  args: {},
  issuedAt: "2026-11-26T16:59:00.000Z",
  expiresAt: "2026-11-26T17:04:00.000Z",
  issuedBy: "ops",
};
const signed = (overrides = {}) =>
  signCommand({ ...unsigned, ...overrides }, commandPrivateKey(keys.privateKeyPem));
const context = (overrides = {}) => ({
  publicKey,
  deviceId: "kiosk-a",
  now,
  maxClockSkewMs: 60_000,
  seen: () => false,
  ...overrides,
});

describe("the command guard", () => {
  it("lets a signed, current, new command through", () => {
    expect(checkCommand(signed(), context())).toEqual({ ok: true });
  });

  it.each([
    ["no key configured", () => checkCommand(signed(), context({ publicKey: null })), "REMOTE_NO_PUBLIC_KEY"],
    ["unsigned", () => checkCommand({ ...unsigned, signature: "" }, context()), "REMOTE_COMMAND_UNSIGNED"],
    [
      "signed by another key",
      () =>
        checkCommand(signCommand(unsigned, commandPrivateKey(newCommandKeyPair().privateKeyPem)), context()),
      "REMOTE_COMMAND_BAD_SIGNATURE",
    ],
    [
      "with its target changed after signing",
      () => checkCommand({ ...signed(), deviceId: "kiosk-b" }, context({ deviceId: "kiosk-b" })),
      "REMOTE_COMMAND_BAD_SIGNATURE",
    ],
    [
      "signed for another kiosk",
      () => checkCommand(signed(), context({ deviceId: "kiosk-b" })),
      "REMOTE_COMMAND_WRONG_DEVICE",
    ],
    ["replayed", () => checkCommand(signed(), context({ seen: () => true })), "REMOTE_COMMAND_REPLAYED"],
    [
      "expired beyond the skew",
      () => checkCommand(signed({ expiresAt: "2026-11-26T16:58:59.000Z" }), context()),
      "REMOTE_COMMAND_EXPIRED",
    ],
    [
      "issued in the future",
      () => checkCommand(signed({ issuedAt: "2026-11-26T17:01:01.000Z" }), context()),
      "REMOTE_COMMAND_NOT_YET_VALID",
    ],
  ])("refuses a command %s", (_what, check, code) => {
    expect(check()).toMatchObject({ ok: false, code });
  });

  it("forgives clock skew within the limit", () => {
    expect(checkCommand(signed({ expiresAt: "2026-11-26T16:59:30.000Z" }), context())).toEqual({ ok: true });
  });
});
