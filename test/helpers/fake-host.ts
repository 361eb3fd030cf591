import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { NetworkInterfaceInfo } from "node:os";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { HostHealthSources } from "../../src/sync/agent/host-health/read-host-health.js";

/** A fake machine: files under a temporary root, as /sys, /proc and /etc hold them. */
export class FakeHostRoot {
  readonly path = mkdtempSync(join(tmpdir(), "spectra-host-"));

  write(file: string, text: string): this {
    const full = join(this.path, file);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
    return this;
  }

  remove(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}

export const interfaceInfo = (
  address: string,
  family: "IPv4" | "IPv6",
  internal = false,
): NetworkInterfaceInfo =>
  ({ address, family, internal, netmask: "", mac: "00:00:00:00:00:00", cidr: null }) as NetworkInterfaceInfo;

/**
 * A Raspberry Pi 4 on a weak power supply: 61.8 °C, under-voltage and throttling now and since
 * boot (0x50005), 2.6 of 3.7 GiB available, on Debian 13, one wired address.
 */
export function fakeRaspberryPi(root: FakeHostRoot): HostHealthSources {
  root
    .write("sys/class/thermal/thermal_zone0/type", "cpu-thermal\n")
    .write("sys/class/thermal/thermal_zone0/temp", "61824\n")
    .write("sys/devices/platform/soc/soc:firmware/get_throttled", "50005\n")
    .write(
      "proc/meminfo",
      "MemTotal:        3885024 kB\nMemFree:          912340 kB\nMemAvailable:    2718200 kB\n",
    )
    .write("etc/os-release", 'PRETTY_NAME="Debian GNU/Linux 13 (trixie)"\n')
    .write("proc/sys/kernel/osrelease", "6.12.25+rpt-rpi-v8\n")
    .write("proc/device-tree/model", "Raspberry Pi 4 Model B Rev 1.5\0");
  return {
    root: root.path,
    vcgencmd: async () => null,
    interfaces: () => ({ eth0: [interfaceInfo("192.168.10.21", "IPv4")] }),
  };
}
