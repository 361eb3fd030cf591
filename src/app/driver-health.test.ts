import { describe, expect, it } from "vitest";
import type { SmartReaderStatus } from "../payments/smart-reader.js";
import { telemetrySchema } from "../sync/protocol/messages.js";
import { smartReaderHealth } from "./driver-health.js";

const reader = (status: SmartReaderStatus) => ({ id: "tmr_FDOt2wlRZEdpd7", status: () => status });

describe("the smart reader in telemetry", () => {
  it("is reported in words every central knows, busy and offline said in the detail", () => {
    expect(smartReaderHealth(reader("ready"))).toEqual({ status: "connected", detail: "tmr_FDOt2wlRZEdpd7" });
    expect(smartReaderHealth(reader("busy"))).toMatchObject({
      status: "connected",
      detail: expect.stringMatching(/^busy: /),
    });
    expect(smartReaderHealth(reader("offline"))).toMatchObject({
      status: "disconnected",
      detail: expect.stringMatching(/^offline/),
    });
    expect(smartReaderHealth(reader("unknown"))).toMatchObject({ status: "error" });
  });

  it("fits the telemetry message's bounds", () => {
    for (const status of ["ready", "busy", "offline", "unknown"] as const) {
      const message = {
        softwareVersion: "0.1.0",
        uptimeSeconds: 1,
        outbox: { depth: 0, oldestUnsyncedAgeSeconds: null },
        drivers: { smartReader: smartReaderHealth(reader(status)) },
        disk: { freeBytes: null },
        lastSyncAt: null,
      };
      const parsed = telemetrySchema.safeParse(message);
      expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    }
  });
});
