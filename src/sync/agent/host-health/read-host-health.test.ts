import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeHostRoot, interfaceInfo } from "../../../../test/helpers/fake-host.js";
import { hostHealthSchema } from "../../protocol/host-health.js";
import { readHostHealth } from "./read-host-health.js";
import { parseVcgencmdThrottled } from "./throttling.js";

const info = interfaceInfo;

const MEMINFO = "MemTotal:        3885024 kB\nMemFree:          912340 kB\nMemAvailable:    2718200 kB\n";

describe("readHostHealth on a fake /sys tree", () => {
  let root: FakeHostRoot;
  let vcgencmdCalls = 0;
  const vcgencmd = (output: string | null) => async () => {
    vcgencmdCalls += 1;
    return output;
  };
  const noInterfaces = () => ({});
  beforeEach(() => {
    root = new FakeHostRoot();
    vcgencmdCalls = 0;
  });
  afterEach(() => root.remove());

  it("reads a Raspberry Pi: the CPU zone's temperature, the firmware's throttling word, memory, OS, kernel, board, addresses", async () => {
    root
      .write("sys/class/thermal/thermal_zone0/type", "cpu-thermal\n")
      .write("sys/class/thermal/thermal_zone0/temp", "61824\n")
      .write("sys/class/thermal/cooling_device0/type", "pwm-fan\n")
      .write("sys/devices/platform/soc/soc:firmware/get_throttled", "50005\n")
      .write("proc/meminfo", MEMINFO)
      .write("etc/os-release", 'PRETTY_NAME="Debian GNU/Linux 13 (trixie)"\nNAME="Debian GNU/Linux"\n')
      .write("proc/sys/kernel/osrelease", "6.12.25+rpt-rpi-v8\n")
      .write("proc/device-tree/model", "Raspberry Pi 4 Model B Rev 1.5\0");
    const health = await readHostHealth({
      root: root.path,
      vcgencmd: vcgencmd("throttled=0x0"),
      interfaces: () => ({
        lo: [info("127.0.0.1", "IPv4", true), info("::1", "IPv6", true)],
        wlan0: [info("fe80::1", "IPv6"), info("2001:db8::42", "IPv6"), info("192.168.1.40", "IPv4")],
      }),
    });
    expect(health).toEqual({
      model: "Raspberry Pi 4 Model B Rev 1.5",
      cpuTemperatureCelsius: 61.8,
      throttled: 0x50005,
      memory: { totalBytes: 3885024 * 1024, availableBytes: 2718200 * 1024 },
      addresses: [
        { interface: "wlan0", address: "192.168.1.40" },
        { interface: "wlan0", address: "2001:db8::42" },
      ],
      os: "Debian GNU/Linux 13 (trixie)",
      kernel: "6.12.25+rpt-rpi-v8",
    });
    // sysfs had the word: vcgencmd was not needed.
    expect(vcgencmdCalls).toBe(0);
    expect(hostHealthSchema.parse(health)).toEqual(health);
  });

  it("asks vcgencmd when sysfs has no throttling word", async () => {
    const health = await readHostHealth({
      root: root.path,
      vcgencmd: vcgencmd("throttled=0x80008\n"),
      interfaces: noInterfaces,
    });
    expect(health.throttled).toBe(0x80008);
    expect(vcgencmdCalls).toBe(1);
  });

  it("reports what this machine lacks as absent (null), never as zero", async () => {
    // A PC or a container: no thermal zone, no firmware, no vcgencmd, no device tree.
    const health = await readHostHealth({
      root: root.path,
      vcgencmd: vcgencmd(null),
      interfaces: noInterfaces,
    });
    expect(health).toEqual({
      model: null,
      cpuTemperatureCelsius: null,
      throttled: null,
      memory: null,
      addresses: [],
      os: null,
      kernel: null,
    });
    expect(hostHealthSchema.safeParse(health).success).toBe(true);
  });

  it("takes the CPU's zone over others, and the first zone when none names the CPU", async () => {
    root
      .write("sys/class/thermal/thermal_zone0/type", "acpitz\n")
      .write("sys/class/thermal/thermal_zone0/temp", "27800\n")
      .write("sys/class/thermal/thermal_zone2/type", "x86_pkg_temp\n")
      .write("sys/class/thermal/thermal_zone2/temp", "48000\n");
    const sources = { root: root.path, vcgencmd: vcgencmd(null), interfaces: noInterfaces };
    expect((await readHostHealth(sources)).cpuTemperatureCelsius).toBe(48);
    root.write("sys/class/thermal/thermal_zone2/type", "iwlwifi_1\n");
    expect((await readHostHealth(sources)).cpuTemperatureCelsius).toBe(27.8);
  });

  it("drops readings that are not what the file should hold", async () => {
    root
      .write("sys/class/thermal/thermal_zone0/type", "cpu-thermal\n")
      .write("sys/class/thermal/thermal_zone0/temp", "not a number\n")
      .write("sys/devices/platform/soc/soc:firmware/get_throttled", "zz\n")
      .write("proc/meminfo", "MemTotal:        1000 kB\n")
      .write("proc/sys/kernel/osrelease", `${"k".repeat(500)}\n`);
    const health = await readHostHealth({
      root: root.path,
      vcgencmd: vcgencmd('error=1 error_msg="Command not registered"'),
      interfaces: () => ({ "eth0 ; rm": [info("10.0.0.2", "IPv4")], eth1: [info("10.0.0.3", "IPv4")] }),
    });
    expect(health.cpuTemperatureCelsius).toBeNull();
    expect(health.throttled).toBeNull();
    expect(health.memory).toBeNull();
    expect(health.kernel).toHaveLength(120);
    expect(health.addresses).toEqual([{ interface: "eth1", address: "10.0.0.3" }]);
    expect(hostHealthSchema.safeParse(health).success).toBe(true);
  });

  it("keeps at most 16 addresses", async () => {
    const many = Array.from({ length: 40 }, (_, index) => info(`10.0.${index}.1`, "IPv4"));
    const health = await readHostHealth({
      root: root.path,
      vcgencmd: vcgencmd(null),
      interfaces: () => ({ eth0: many }),
    });
    expect(health.addresses).toHaveLength(16);
  });
});

describe("parseVcgencmdThrottled", () => {
  it("reads hexadecimal and decimal words, and nothing else", () => {
    expect(parseVcgencmdThrottled("throttled=0x50005\n")).toBe(0x50005);
    expect(parseVcgencmdThrottled("throttled=0x0")).toBe(0);
    expect(parseVcgencmdThrottled("throttled=327685")).toBe(327685);
    expect(parseVcgencmdThrottled("throttled=0x1ffffffff")).toBeNull();
    expect(parseVcgencmdThrottled("throttled=-1")).toBeNull();
    expect(parseVcgencmdThrottled("VCHI initialization failed")).toBeNull();
  });
});
