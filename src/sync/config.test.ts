import { describe, expect, it } from "vitest";
import { rawTestConfig } from "../../test/helpers/kiosk-config.js";
import { validateConfig } from "../config/load.js";

describe("sync and central configuration", () => {
  const base = rawTestConfig({ deviceId: "kiosk-config", dataDir: "data" });

  it("accepts the laptop defaults and an external setup", () => {
    expect(validateConfig(base).ok).toBe(true);
    const external = validateConfig({
      ...base,
      sync: {
        broker: { mode: "external", url: "mqtts://broker:8883", username: "kiosk-config", password: "p" },
      },
      central: { enabled: false },
    });
    expect(external.ok).toBe(true);
    if (external.ok) {
      expect(external.config.sync.broker).toMatchObject({ protocolVersion: 5, keepaliveSeconds: 30 });
      expect(external.config.central.ingest).toMatchObject({
        shareGroup: "ingest",
        maxMessageBytes: 1024 * 1024,
      });
    }
  });

  it("refuses unknown keys and a central on an embedded broker the kiosk does not run", () => {
    const unknown = validateConfig({ ...base, sync: { batchSize: 10, bathSize: 10 } });
    expect(unknown.ok || unknown.problems).toEqual(["sync.bathSize: unknown key"]);
    const mismatch = validateConfig({
      ...base,
      sync: { broker: { mode: "external", url: "mqtt://broker:1883" } },
      central: { enabled: true },
    });
    expect(mismatch.ok || mismatch.problems.join()).toContain("central.broker.mode");
  });
});
