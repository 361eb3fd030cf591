import { type NetworkInterfaceInfo, networkInterfaces } from "node:os";
import { type HostHealth, hostAddressSchema } from "../../protocol/host-health.js";
import { hostAddresses, readKernel, readMemory, readModel, readOsName } from "./system.js";
import { readCpuTemperature } from "./thermal.js";
import { readThrottled, runVcgencmd, type VcgencmdRunner } from "./throttling.js";

export interface HostHealthSources {
  /** Where `/sys`, `/proc` and `/etc` are found: "/" on a kiosk, a temporary tree in tests. */
  readonly root: string;
  readonly vcgencmd: VcgencmdRunner;
  readonly interfaces: () => NodeJS.Dict<NetworkInterfaceInfo[]>;
}

export const SYSTEM_HOST: HostHealthSources = {
  root: "/",
  vcgencmd: runVcgencmd,
  interfaces: networkInterfaces,
};

/** The kiosk's computer as telemetry reports it; each value read on its own, null where absent. */
export async function readHostHealth(sources: HostHealthSources = SYSTEM_HOST): Promise<HostHealth> {
  const { root } = sources;
  const [model, cpuTemperatureCelsius, throttled, memory, os, kernel] = await Promise.all([
    readModel(root),
    readCpuTemperature(root),
    readThrottled(root, sources.vcgencmd),
    readMemory(root),
    readOsName(root),
    readKernel(root),
  ]);
  let addresses: HostHealth["addresses"] = [];
  try {
    // Only what central accepts, so one odd interface never costs the whole report.
    addresses = hostAddresses(sources.interfaces()).filter(
      (entry) => hostAddressSchema.safeParse(entry).success,
    );
  } catch {
    // No interfaces to list (a sandbox may refuse): none reported.
  }
  return { model, cpuTemperatureCelsius, throttled, memory, addresses, os, kernel };
}
