import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { healthBadge } from "../central/dashboard/view/badges.js";
import { systemClock } from "../core/clock.js";
import { createMemoryLogger } from "../core/logger.js";
import { contractConfig } from "../drivers/gpio/gpio-contract.test-helpers.js";
import { GpioDevices } from "../drivers/gpio/gpio-devices.js";
import { telemetryHealth } from "./driver-health.js";

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
