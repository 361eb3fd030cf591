import { describe, expect, it } from "vitest";
import { managedSettingsProblems, settingSchemaAt } from "./managed-settings.js";

describe("managed settings", () => {
  it("accepts values the kiosk's schema accepts, at managed paths and inside managed sections", () => {
    expect(
      managedSettingsProblems({
        "log.level": "debug",
        "studio.name": "Studio by the sea",
        "limits.maxAmountMinor": 500_000,
        limits: { maxAmountMinor: 200_000 },
        "ui.idleTimeoutSeconds": 90,
        "processor.offline.enabled": true,
        paymentMethods: [{ id: "cash", name: "Cash", type: "cash" }],
      }),
    ).toEqual([]);
  });

  it("names every problem: unmanaged paths, unknown paths and bad values", () => {
    expect(
      managedSettingsProblems({
        deviceId: "kiosk-other",
        "sync.broker.url": "mqtt://elsewhere",
        "limits.maximum": 5,
        "log.level": "loud",
        "ui.idleTimeoutSeconds": 5,
        "limits.maxAmountMinor": 1.5,
        "processor.offline": { enabled: "yes" },
      }),
    ).toEqual([
      "deviceId: not a setting central may change",
      "sync.broker.url: not a setting central may change",
      "limits.maximum: not a setting of the kiosk's configuration",
      'log.level: Invalid option: expected one of "fatal"|"error"|"warn"|"info"|"debug"|"trace"',
      "ui.idleTimeoutSeconds: Too small: expected number to be >=10",
      "limits.maxAmountMinor: Invalid input: expected int, received number",
      "processor.offline.enabled: Invalid input: expected boolean, received string",
    ]);
  });

  it("refuses prototype keys anywhere, and keys the schema only inherits", () => {
    expect(
      managedSettingsProblems(
        JSON.parse(
          '{"limits.__proto__.x": 1, "limits.prototype": 2, "ui.signIn": {"constructor": {}}, "limits.valueOf": 3}',
        ),
      ),
    ).toEqual([
      'limits.__proto__.x: "__proto__" is not a configuration key',
      'limits.prototype: "prototype" is not a configuration key',
      'ui.signIn: "constructor" is not a configuration key',
      "limits.valueOf: not a setting of the kiosk's configuration",
    ]);
    expect(settingSchemaAt("processor.constructor")).toBeNull();
  });

  it("finds schemas through defaults and the processor's variants", () => {
    expect(settingSchemaAt("processor.collection.maxAttempts")?.safeParse(3).success).toBe(true);
    expect(settingSchemaAt("processor.nothing")).toBeNull();
    expect(settingSchemaAt("staff")?.safeParse([]).success).toBe(true);
  });
});
