import { z } from "zod";

/**
 * The Raspberry Pi firmware's throttling word (`vcgencmd get_throttled`, or the firmware driver's
 * `get_throttled` in sysfs): bits 0–3 say what holds now, bits 16–19 what has happened since boot.
 */
export const THROTTLE_BITS = {
  underVoltageNow: 0,
  frequencyCappedNow: 1,
  throttledNow: 2,
  softTempLimitNow: 3,
  underVoltageSinceBoot: 16,
  frequencyCappedSinceBoot: 17,
  throttledSinceBoot: 18,
  softTempLimitSinceBoot: 19,
} as const;

export type ThrottleFlag = keyof typeof THROTTLE_BITS;
export type ThrottleFlags = Readonly<Record<ThrottleFlag, boolean>>;

/** What each flag means, in the words the dashboard and the metrics use. */
export const THROTTLE_LABELS: Readonly<Record<ThrottleFlag, string>> = {
  underVoltageNow: "under-voltage now",
  frequencyCappedNow: "frequency capped now",
  throttledNow: "throttled now",
  softTempLimitNow: "soft temperature limit now",
  underVoltageSinceBoot: "under-voltage since boot",
  frequencyCappedSinceBoot: "frequency capped since boot",
  throttledSinceBoot: "throttled since boot",
  softTempLimitSinceBoot: "soft temperature limit since boot",
};

export const MAX_THROTTLE_WORD = 0xffff_ffff;

/** Each flag of a throttling word (an unsigned 32-bit value). */
export function decodeThrottled(word: number): ThrottleFlags {
  const flags = {} as Record<ThrottleFlag, boolean>;
  for (const [flag, bit] of Object.entries(THROTTLE_BITS) as [ThrottleFlag, number][]) {
    // Division, not `>>`: bit 31 would make a 32-bit shift negative.
    flags[flag] = Math.floor(word / 2 ** bit) % 2 === 1;
  }
  return flags;
}

/** A network interface's name as Linux allows it (IFNAMSIZ: 15 characters), with a little room. */
const interfaceName = z.string().regex(/^[A-Za-z0-9_.:@-]{1,32}$/, "an interface name");
const bytes = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const text = z.string().max(120);

/** One address on one interface. */
export const hostAddressSchema = z.strictObject({
  interface: interfaceName,
  address: z.union([z.ipv4(), z.ipv6()]),
});

/**
 * The kiosk's own computer, as its telemetry reports it. Whatever the kiosk could not read is null
 * (a laptop has no throttling word, a container may have no thermal zone): absent, never zero.
 */
export const hostHealthSchema = z.strictObject({
  /** The board, from the device tree ("Raspberry Pi 4 Model B Rev 1.5"). */
  model: text.nullable(),
  /** The CPU's thermal zone, in degrees Celsius (a tenth of a degree is as fine as it is reported). */
  cpuTemperatureCelsius: z.number().min(-60).max(200).nullable(),
  /** The firmware's throttling word; decodeThrottled says what it means. */
  throttled: z.number().int().min(0).max(MAX_THROTTLE_WORD).nullable(),
  memory: z.strictObject({ totalBytes: bytes, availableBytes: bytes }).nullable(),
  /** Addresses on the interfaces that are not loopback, at most 16. */
  addresses: z.array(hostAddressSchema).max(16),
  /** PRETTY_NAME of /etc/os-release ("Debian GNU/Linux 13 (trixie)"). */
  os: text.nullable(),
  kernel: text.nullable(),
});

export type HostHealth = z.infer<typeof hostHealthSchema>;
