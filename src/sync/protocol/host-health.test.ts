import { describe, expect, it } from "vitest";
import { decodeThrottled, hostHealthSchema } from "./host-health.js";

const NONE = {
  underVoltageNow: false,
  frequencyCappedNow: false,
  throttledNow: false,
  softTempLimitNow: false,
  underVoltageSinceBoot: false,
  frequencyCappedSinceBoot: false,
  throttledSinceBoot: false,
  softTempLimitSinceBoot: false,
};

describe("decodeThrottled", () => {
  it("reads the firmware's bits: now in 0–3, since boot in 16–19", () => {
    expect(decodeThrottled(0)).toEqual(NONE);
    // The classic weak power supply: under-voltage and throttling, now and since boot.
    expect(decodeThrottled(0x50005)).toEqual({
      ...NONE,
      underVoltageNow: true,
      throttledNow: true,
      underVoltageSinceBoot: true,
      throttledSinceBoot: true,
    });
    expect(decodeThrottled(0x2)).toEqual({ ...NONE, frequencyCappedNow: true });
    expect(decodeThrottled(0x8)).toEqual({ ...NONE, softTempLimitNow: true });
    expect(decodeThrottled(0x20000)).toEqual({ ...NONE, frequencyCappedSinceBoot: true });
    expect(decodeThrottled(0x80000)).toEqual({ ...NONE, softTempLimitSinceBoot: true });
    // Bits it does not know (and bit 31) change none of the eight.
    expect(decodeThrottled(0xfff0_fff0)).toEqual(NONE);
  });
});

describe("hostHealthSchema", () => {
  const health = {
    model: null,
    cpuTemperatureCelsius: 55.2,
    throttled: 0,
    memory: { totalBytes: 4, availableBytes: 2 },
    addresses: [{ interface: "eth0", address: "10.1.2.3" }],
    os: "Debian",
    kernel: "6.12",
  };
  const valid = (value: unknown) => hostHealthSchema.safeParse(value).success;

  it("bounds every value central keeps", () => {
    expect(valid(health)).toBe(true);
    expect(valid({ ...health, cpuTemperatureCelsius: 1e9 })).toBe(false);
    expect(valid({ ...health, throttled: 2 ** 32 })).toBe(false);
    expect(valid({ ...health, throttled: -1 })).toBe(false);
    expect(valid({ ...health, os: "x".repeat(121) })).toBe(false);
    expect(valid({ ...health, memory: { totalBytes: -1, availableBytes: 0 } })).toBe(false);
    expect(valid({ ...health, addresses: [{ interface: "eth0", address: "not an address" }] })).toBe(false);
    expect(valid({ ...health, addresses: [{ interface: "<script>", address: "10.1.2.3" }] })).toBe(false);
    const many = Array.from({ length: 17 }, (_, index) => ({
      interface: "eth0",
      address: `10.0.0.${index}`,
    }));
    expect(valid({ ...health, addresses: many })).toBe(false);
    expect(valid({ ...health, extra: 1 })).toBe(false);
  });
});
