import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { tempDir } from "../../test/helpers/store.js";
import { desiredEvaluator, evaluateDesired } from "../config/desired-settings.js";
import { DEFAULT_CONFIG_PATH } from "../config/load.js";
import {
  commandPrivateKey,
  commandPublicKey,
  newCommandKeyPair,
  signDesiredConfig,
} from "../sync/protocol/command-signature.js";
import type { DesiredConfig } from "../sync/protocol/messages.js";
import { decideDesired, readApplied, settingsByPath, writeApplied } from "./desired-config.js";

const raw = (): Record<string, unknown> => JSON.parse(readFileSync(DEFAULT_CONFIG_PATH, "utf8"));
const dirs: { remove(): void }[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) dir.remove();
});

const keys = newCommandKeyPair();
const privateKey = commandPrivateKey(keys.privateKeyPem);
const now = new Date("2026-11-26T17:00:00Z");
const context = (overrides = {}) => ({
  publicKey: commandPublicKey(keys.publicKeyPem),
  deviceId: "kiosk-a",
  now,
  maxClockSkewMs: 60_000,
  lastApplied: { version: 3, settings: { "log.level": "debug" } } as {
    version: number;
    settings: Record<string, unknown>;
  } | null,
  evaluate: desiredEvaluator({ env: {} }),
  ...overrides,
});
type Settings = DesiredConfig["settings"];
const unsigned = (version: number, settings: Settings, overrides = {}) => ({
  deviceId: "kiosk-a",
  version,
  settings,
  issuedAt: "2026-11-26T16:59:00.000Z",
  expiresAt: "2026-12-26T16:59:00.000Z",
  issuedBy: "ops@studio",
  ...overrides,
});
const signed = (version: number, settings: Settings, overrides = {}): DesiredConfig =>
  signDesiredConfig(unsigned(version, settings, overrides), privateKey);

describe("desired configuration", () => {
  it("applies managed settings, whole sections or paths inside them", () => {
    const result = evaluateDesired(raw(), {
      "limits.maxAmountMinor": 5_000,
      "log.level": "debug",
      "studio.name": "Renamed",
    });
    expect(result.ok && result.config.limits.maxAmountMinor).toBe(5_000);
    expect(result.ok && result.config.studio.name).toBe("Renamed");
    expect(result.ok && result.config.studio.currency).toBe("USD"); // untouched
  });

  it("refuses settings central may not change, and values the schema refuses, listing each", () => {
    expect(evaluateDesired(raw(), { deviceId: "x", "sync.broker": {} })).toEqual({
      ok: false,
      problems: [
        "deviceId: not a setting central may change",
        "sync.broker: not a setting central may change",
      ],
    });
    const invalid = evaluateDesired(raw(), { "limits.maxAmountMinor": -1, "ui.idleTimeoutSeconds": 1 });
    expect(invalid.ok).toBe(false);
    expect(invalid.ok ? [] : invalid.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^ui\.idleTimeoutSeconds: /),
        expect.stringMatching(/^limits\.maxAmountMinor: /),
      ]),
    );
  });

  it("refuses prototype keys in paths and values before walking anything, and pollutes nothing", () => {
    const hostile = settingsByPath(
      JSON.parse(
        '{"limits.__proto__.polluted": 1, "limits.constructor.prototype.polluted": 2, "__proto__": {"polluted": 3}, "staff": [{"__proto__": {"polluted": 4}}]}',
      ),
    );
    const result = evaluateDesired(raw(), hostile);
    expect(result).toEqual({
      ok: false,
      problems: [
        'limits.__proto__.polluted: "__proto__" is not a configuration key',
        'limits.constructor.prototype.polluted: "constructor" is not a configuration key',
        '__proto__: "__proto__" is not a configuration key',
        'staff: "__proto__" is not a configuration key',
      ],
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(hostile)).toBeNull();
  });

  it("refuses keys the schema does not have, even ones every object inherits", () => {
    expect(evaluateDesired(raw(), { "limits.toString": 1, "limits.hasOwnProperty": 2 })).toEqual({
      ok: false,
      problems: [
        "limits.toString: not a setting of the kiosk's configuration",
        "limits.hasOwnProperty: not a setting of the kiosk's configuration",
      ],
    });
  });

  it("applies only a newer version central signed for this kiosk, valid now", () => {
    expect(decideDesired(signed(4, { "log.level": "debug" }), context())).toMatchObject({
      kind: "apply",
      applied: { version: 4, settings: { "log.level": "debug" }, appliedAt: now.toISOString() },
    });
    expect(decideDesired(signed(1, {}), context({ lastApplied: null })).kind).toBe("apply");
    // The broker's retained copy of what runs, again on every connection: nothing to do, nothing to say.
    expect(decideDesired(signed(3, { "log.level": "debug" }), context()).kind).toBe("already-applied");
  });

  it.each([
    ["no key configured", signed(4, {}), { publicKey: null }, "REMOTE_NO_PUBLIC_KEY"],
    ["unsigned", { ...unsigned(4, {}), signature: "" } as DesiredConfig, {}, "REMOTE_CONFIG_UNSIGNED"],
    [
      "signed by another key",
      signDesiredConfig(unsigned(4, {}), commandPrivateKey(newCommandKeyPair().privateKeyPem)),
      {},
      "REMOTE_CONFIG_BAD_SIGNATURE",
    ],
    [
      "changed after signing",
      { ...signed(4, { "log.level": "debug" }), settings: { "log.level": "trace" } },
      {},
      "REMOTE_CONFIG_BAD_SIGNATURE",
    ],
    ["signed for another kiosk", signed(4, {}), { deviceId: "kiosk-b" }, "REMOTE_CONFIG_WRONG_DEVICE"],
    ["expired", signed(4, {}, { expiresAt: "2026-11-26T16:58:59.000Z" }), {}, "REMOTE_CONFIG_EXPIRED"],
    [
      "issued in the future",
      signed(4, {}, { issuedAt: "2026-11-26T17:01:01.000Z" }),
      {},
      "REMOTE_CONFIG_NOT_YET_VALID",
    ],
    ["older than the last applied", signed(2, {}), {}, "REMOTE_CONFIG_NOT_NEWER"],
    [
      "of the same version with other settings",
      signed(3, { "log.level": "trace" }),
      {},
      "REMOTE_CONFIG_NOT_NEWER",
    ],
    ["invalid", signed(4, { "log.level": "shout" }), {}, "REMOTE_CONFIG_INVALID"],
    ["polluting", signed(4, JSON.parse('{"limits.__proto__.polluted": true}')), {}, "REMOTE_CONFIG_INVALID"],
  ])("refuses one %s, with its code", (_what, desired, overrides, code) => {
    expect(decideDesired(desired, context(overrides))).toMatchObject({ kind: "refused", code });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("is kept in the data directory across restarts", () => {
    const dir = tempDir();
    dirs.push(dir);
    expect(readApplied(dir.path)).toBeNull();
    writeApplied(dir.path, {
      version: 7,
      settings: { "log.level": "warn" },
      appliedAt: "2026-11-26T17:00:00Z",
    });
    const applied = readApplied(dir.path);
    expect(applied).toMatchObject({ version: 7, appliedAt: "2026-11-26T17:00:00Z" });
    expect({ ...applied?.settings }).toEqual({ "log.level": "warn" });
    expect(Object.getPrototypeOf(applied?.settings)).toBeNull();
  });
});
