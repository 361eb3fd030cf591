import type { DeviceHealth, Drivers } from "../drivers/drivers.js";
import type { SmartReader } from "../payments/smart-reader.js";
import type { DriverHealthSource } from "../sync/agent/telemetry.js";
import { type DriverHealth, TAMPER_SWITCH_DEVICE } from "../sync/protocol/messages.js";

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

/**
 * The smart reader in telemetry's words (older centrals know no "busy" or "offline" status): online
 * is connected — busy says so in the detail —, offline disconnected, not known an error.
 */
export function smartReaderHealth(reader: SmartReader): DriverHealth {
  switch (reader.status()) {
    case "ready":
      return { status: "connected", detail: reader.id };
    case "busy":
      return {
        status: "connected",
        detail: `busy: collecting a payment this kiosk did not start (${reader.id})`,
      };
    case "offline":
      return { status: "disconnected", detail: `offline at Stripe (${reader.id})` };
    case "unknown":
      return { status: "error", detail: `status unknown: Stripe not reached (${reader.id})` };
  }
}

/**
 * The drivers as telemetry's health source: every device by name, and the cash drawer's path; the
 * smart reader too, when there is one (it is the processor's, not a driver).
 */
export function driverHealthSource(
  drivers: Drivers,
  smartReader: SmartReader | null = null,
): DriverHealthSource {
  return {
    health: () => ({
      ...Object.fromEntries(drivers.health().map((health) => [health.device, telemetryHealth(health)])),
      ...(smartReader ? { smartReader: smartReaderHealth(smartReader) } : {}),
      ...tamperHealth(drivers.gpio.tamperState),
    }),
  };
}

/**
 * The door or tamper switch among the devices, when there is one: "error" while it reads open, so
 * central's tamper alert (and anyone reading the health) sees it. Nothing when no switch is set up.
 */
export function tamperHealth(state: "open" | "closed" | null): Record<string, DriverHealth> {
  if (state === null) return {};
  return {
    [TAMPER_SWITCH_DEVICE]:
      state === "open" ? { status: "error", detail: "open" } : { status: "connected", detail: "closed" },
  };
}
