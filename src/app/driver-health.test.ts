import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { healthBadge } from "../central/dashboard/view/badges.js";
import { systemClock } from "../core/clock.js";
import { createMemoryLogger } from "../core/logger.js";
import { driversConfigSchema } from "../drivers/config.js";
import { createDrivers } from "../drivers/drivers.js";
import { contractConfig } from "../drivers/gpio/gpio-contract.test-helpers.js";
import { GpioDevices } from "../drivers/gpio/gpio-devices.js";
import { SimulatedPins } from "../drivers/gpio/simulated-pins.js";
import type { SmartReaderStatus } from "../payments/smart-reader.js";
import { telemetrySchema } from "../sync/protocol/messages.js";
import { driverHealthSource, smartReaderHealth, tamperHealth, telemetryHealth } from "./driver-health.js";

const scratch = mkdtempSync(join(tmpdir(), "spectra-health-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("GPIO that cannot be used, as central sees it", () => {
  it("goes out in telemetry as an error with its code, and the dashboard's device health shows both", async () => {
    const model = join(scratch, "model");
    writeFileSync(model, "Raspberry Pi 5 Model B Rev 1.0\0");
    const gpio = new GpioDevices(contractConfig({ mode: "auto", toolsDir: join(scratch, "no-tools") }), {
      logger: createMemoryLogger(),
      clock: systemClock,
      boardModelPath: model,
    });
    await gpio.start();
    const health = telemetryHealth(gpio.health);
    expect(health.status).toBe("error");
    expect(health.detail).toContain("[GPIO_TOOLS_MISSING]");
    const badge = String(healthBadge(health));
    expect(badge).toContain("error");
    expect(badge).toContain("GPIO_TOOLS_MISSING");
    await gpio.stop();
  });
});

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

describe("the tamper switch in telemetry", () => {
  it("is an error while open, connected while closed, and absent without a switch", () => {
    expect(tamperHealth("open")).toEqual({ tamper: { status: "error", detail: "open" } });
    expect(tamperHealth("closed")).toEqual({ tamper: { status: "connected", detail: "closed" } });
    expect(tamperHealth(null)).toEqual({});
    const message = {
      softwareVersion: "0.1.0",
      uptimeSeconds: 1,
      outbox: { depth: 0, oldestUnsyncedAgeSeconds: null },
      drivers: tamperHealth("open"),
      disk: { freeBytes: null },
      lastSyncAt: null,
    };
    expect(telemetrySchema.safeParse(message).success).toBe(true);
  });
});

describe("the drivers' health source with a tamper switch", () => {
  it("reports the switch as the tamper device, open as soon as it is opened (what central's tamper alert reads)", async () => {
    const simulator = new SimulatedPins();
    const config = driversConfigSchema.parse({
      gpio: { mode: "simulated", tamperSwitch: { pin: 22, debounceMs: 5 } },
    });
    const drivers = createDrivers(config, {
      logger: createMemoryLogger(),
      clock: systemClock,
      gpio: { simulator },
    });
    await drivers.start();
    try {
      const source = driverHealthSource(drivers);
      expect(source.health().tamper).toEqual({ status: "connected", detail: "closed" });
      const opened = new Promise((resolve) => drivers.gpio.once("tamper", resolve));
      simulator.set(22, 1);
      await opened;
      expect(source.health().tamper).toEqual({ status: "error", detail: "open" });
    } finally {
      await drivers.stop();
    }
  });
});
