import { z } from "zod";

const serialLine = {
  path: z.string().min(1).describe("prefer /dev/serial/by-id/... so the name survives replugging"),
  baudRate: z.number().int().positive().default(9600),
  lineEnding: z.enum(["\r\n", "\n", "\r"]).default("\r"),
};

export const cardReaderConfigSchema = z.discriminatedUnion("mode", [
  z.strictObject({ mode: z.literal("serial"), ...serialLine }),
  z.strictObject({ mode: z.literal("simulated") }),
  z.strictObject({ mode: z.literal("none") }),
]);

export const gpioConfigSchema = z.strictObject({
  /** "auto" uses the real pins when /sys/class/gpio is there, the simulator otherwise. */
  mode: z.enum(["auto", "simulated"]).default("auto"),
  /** Label of the header's GPIO chip; looked up to add its sysfs base (512+ on kernel 6.6+). */
  chipLabels: z.array(z.string()).default(["pinctrl-rp1", "pinctrl-bcm2711", "pinctrl-bcm2835"]),
  cashDrawer: z
    .strictObject({
      pin: z.number().int().min(0).max(53),
      pulseMs: z.number().int().min(20).max(2000).default(200),
      activeLow: z.boolean().default(false),
    })
    .nullable()
    .default(null),
  statusLight: z
    .strictObject({ pin: z.number().int().min(0).max(53), activeLow: z.boolean().default(false) })
    .nullable()
    .default(null),
  tamperSwitch: z
    .strictObject({
      pin: z.number().int().min(0).max(53),
      debounceMs: z.number().int().min(0).max(1000).default(50),
      activeLow: z.boolean().default(true),
    })
    .nullable()
    .default(null),
});

export const printerConfigSchema = z.discriminatedUnion("mode", [
  z.strictObject({ mode: z.literal("serial"), ...serialLine, lineEnding: z.literal("\n").default("\n") }),
  z.strictObject({ mode: z.literal("simulated") }),
  z.strictObject({ mode: z.literal("none") }),
]);

export const driversConfigSchema = z.strictObject({
  cardReader: cardReaderConfigSchema.default({ mode: "simulated" }),
  scanner: cardReaderConfigSchema.default({ mode: "none" }),
  gpio: gpioConfigSchema.default({
    mode: "auto",
    chipLabels: ["pinctrl-rp1", "pinctrl-bcm2711", "pinctrl-bcm2835"],
    cashDrawer: null,
    statusLight: null,
    tamperSwitch: null,
  }),
  printer: printerConfigSchema.default({ mode: "none" }),
  /** Which device opens the cash drawer: the GPIO relay or the printer's drawer port (ESC p). */
  cashDrawerVia: z.enum(["gpio", "printer"]).default("gpio"),
});

export type DriversConfig = z.infer<typeof driversConfigSchema>;
