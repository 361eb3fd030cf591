import type { DeviceHealth, Drivers } from "../drivers/drivers.js";
import type { DriverHealthSource } from "../sync/agent/telemetry.js";
import type { DriverHealth } from "../sync/protocol/messages.js";

/** One device's health in the words telemetry and the fleet dashboard use. */
export function telemetryHealth(health: DeviceHealth): DriverHealth {
  if ("chip" in health) {
    return {
      status: health.state === "ready" ? "connected" : health.state === "simulated" ? "simulated" : "error",
      detail: health.detail,
    };
  }
  if ("paperLow" in health) {
    return {
      status:
        health.state === "ready"
          ? health.simulated
            ? "simulated"
            : "connected"
          : health.state === "paper-out"
            ? "paper-out"
            : health.state === "error"
              ? "error"
              : "disconnected",
      detail: health.paperLow && health.state === "ready" ? "paper low" : health.detail,
    };
  }
  return {
    status: health.simulated && health.state === "connected" ? "simulated" : health.state,
    detail: health.detail,
  };
}

/** The drivers as telemetry's health source: every device by name, and the cash drawer's path. */
export function driverHealthSource(drivers: Drivers): DriverHealthSource {
  return {
    health: () =>
      Object.fromEntries(drivers.health().map((health) => [health.device, telemetryHealth(health)])),
  };
}
