import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { tempDir } from "../../test/helpers/store.js";
import { DEFAULT_CONFIG_PATH } from "../config/load.js";
import { decideDesired, evaluateDesired, readApplied, writeApplied } from "./desired-config.js";

const raw = (): Record<string, unknown> => JSON.parse(readFileSync(DEFAULT_CONFIG_PATH, "utf8"));
const dirs: { remove(): void }[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) dir.remove();
});

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

  it("decides: same version already applied, older is stale, newer is applied or refused", () => {
    const now = new Date("2026-11-26T17:00:00Z");
    const current = { version: 3, settings: {}, appliedAt: "2026-11-25T00:00:00Z" };
    const desired = (version: number, settings: Record<string, string>) => ({
      version,
      settings,
      issuedAt: now.toISOString(),
    });
    const source = { env: {} };
    expect(decideDesired(desired(3, {}), current, source, now).kind).toBe("already-applied");
    expect(decideDesired(desired(2, {}), current, source, now).kind).toBe("stale");
    expect(decideDesired(desired(4, { "log.level": "shout" }), current, source, now).kind).toBe("refused");
    expect(decideDesired(desired(4, { "log.level": "debug" }), current, source, now)).toMatchObject({
      kind: "apply",
      applied: { version: 4, settings: { "log.level": "debug" }, appliedAt: now.toISOString() },
    });
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
    expect(readApplied(dir.path)).toEqual({
      version: 7,
      settings: { "log.level": "warn" },
      appliedAt: "2026-11-26T17:00:00Z",
    });
  });
});
