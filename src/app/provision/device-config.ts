import type { RawConfig } from "../../config/env-overrides.js";

export interface DeviceProvision {
  /** The processor section the studio chose (provision-device asks for it). */
  readonly processor?: RawConfig;
  readonly deviceId: string;
  readonly studioName: string;
  readonly brokerUrl: string;
  readonly brokerPassword: string;
  readonly caFile: string | null;
  readonly commandPublicKey: string | null;
}

/**
 * A production configuration for one kiosk, from a template (config/default.json by default): its
 * own id and broker account, real devices at their stable udev names, the data directory systemd
 * gives it, and central's key for commands. Central and the embedded broker are off: a kiosk in a
 * studio talks to the studio's broker. The laptop's built-in card simulator never reaches a studio:
 * such a template gives manual card entry unless provision-device was told the studio's processor.
 */
export function deviceConfig(template: RawConfig, device: DeviceProvision): RawConfig {
  const drivers = (template.drivers ?? {}) as RawConfig;
  return {
    ...template,
    deviceId: device.deviceId,
    studio: { ...(template.studio as RawConfig), name: device.studioName },
    dataDir: "/var/lib/spectra-kiosk",
    drivers: {
      ...drivers,
      cardReader: { mode: "serial", path: "/dev/spectra-reader", baudRate: 9600, lineEnding: "\r" },
      gpio: { ...(drivers.gpio as RawConfig), mode: "auto" },
      printer: { mode: "serial", path: "/dev/spectra-printer", baudRate: 19200 },
    },
    sync: {
      ...(template.sync as RawConfig),
      enabled: true,
      broker: {
        mode: "external",
        url: device.brokerUrl,
        username: device.deviceId,
        password: device.brokerPassword,
        ...(device.caFile ? { caFile: device.caFile } : {}),
      },
    },
    central: { enabled: false },
    processor:
      device.processor ?? (isSimulator(template.processor) ? { kind: "manual" } : template.processor),
    remote: { commandPublicKey: device.commandPublicKey, maxClockSkewSeconds: 120 },
    log: { level: "info" },
  };
}

const SIMULATORS = new Set(["authorize-net-simulator"]);
const isSimulator = (processor: unknown): boolean =>
  typeof processor === "object" &&
  processor !== null &&
  SIMULATORS.has(String((processor as RawConfig).kind));
