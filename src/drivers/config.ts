import { z } from "zod";
import { CODE_PAGE_NAMES } from "./printer/code-page.js";

const isRegExp = (source: string): boolean => {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
};

const serialLine = {
  path: z.string().min(1).describe("prefer /dev/serial/by-id/... so the name survives replugging"),
  baudRate: z.number().int().positive().default(9600),
  lineEnding: z.enum(["\r\n", "\n", "\r"]).default("\r"),
  /** Retry delays after an unplug or a failed open: doubling from initialMs up to maxMs. */
  reconnect: z
    .strictObject({
      initialMs: z.number().int().min(10).max(60_000).default(250),
      maxMs: z.number().int().min(10).max(300_000).default(5000),
    })
    .prefault({}),
};

/** How a line device reads what it gets, the same for a real port and the simulator. */
const lineReading = (role: "cards" | "scans") => ({
  /** cards: a card reader; scans: a barcode/QR scanner; both: a combined unit on one port. */
  role: z.enum(["cards", "scans", "both"]).default(role),
  /** Longer lines are dropped unread (MagneSafe lines run to ~700 characters). */
  maxLineLength: z.number().int().min(80).max(8192).default(2048),
  /** Refuse an expired card at the reader; otherwise it is read with `expired: true`. */
  rejectExpired: z.boolean().default(true),
  /** Clear card data not used by a processor within this time is wiped anyway. */
  secretsTtlMs: z.number().int().min(1000).max(600_000).default(120_000),
  /** What an invoice number looks like in a scanned code (a regular expression). */
  invoicePattern: z
    .string()
    .refine(isRegExp, "a valid regular expression")
    .default("^[A-Za-z0-9][A-Za-z0-9-]{0,31}$"),
});

const lineDeviceSchema = (role: "cards" | "scans") =>
  z.discriminatedUnion("mode", [
    z.strictObject({ mode: z.literal("serial"), ...serialLine, ...lineReading(role) }),
    z.strictObject({ mode: z.literal("simulated"), ...lineReading(role) }),
    z.strictObject({ mode: z.literal("none") }),
  ]);

export const cardReaderConfigSchema = lineDeviceSchema("cards");
export const scannerConfigSchema = lineDeviceSchema("scans");

const bcmPin = z.number().int().min(0).max(53).describe("BCM GPIO number, not the header pin number");

export const gpioConfigSchema = z.strictObject({
  /**
   * "chardev": the GPIO character device through libgpiod's tools (gpioset, gpioget, gpiomon).
   * "sysfs": onoff on /sys/class/gpio, only where the kernel still has it. "auto": the character
   * device on a Raspberry Pi or wherever a chip with one of `chipLabels` shows; sysfs on a Pi without
   * one; the simulator only on a machine that is not a Pi and shows no such chip (a laptop). On a Pi,
   * GPIO that cannot be used is an error (health, log, dashboard), never a silent simulator.
   */
  mode: z.enum(["auto", "chardev", "sysfs", "simulated"]).default("auto"),
  /** Where libgpiod's tools are (Debian's gpiod package: /usr/bin). */
  toolsDir: z.string().min(1).default("/usr/bin"),
  /** Label of the header's GPIO chip (the character device's label, and sysfs's for its base). */
  chipLabels: z
    .array(z.string().min(1))
    .min(1)
    .default(["pinctrl-rp1", "pinctrl-bcm2711", "pinctrl-bcm2835"]),
  /** Where sysfs is mounted; only tests change it. */
  sysfsRoot: z.string().min(1).default("/sys"),
  cashDrawer: z
    .strictObject({
      pin: bcmPin,
      pulseMs: z.number().int().min(20).max(2000).default(200),
      activeLow: z.boolean().default(false),
    })
    .nullable()
    .default(null),
  statusLight: z
    .strictObject({ pin: bcmPin, activeLow: z.boolean().default(false) })
    .nullable()
    .default(null),
  tamperSwitch: z
    .strictObject({
      pin: bcmPin,
      debounceMs: z.number().int().min(0).max(1000).default(50),
      activeLow: z.boolean().default(true),
      /** The pin's pull resistor (character device only): a switch to ground needs "pull-up". */
      bias: z.enum(["as-is", "pull-up", "pull-down"]).default("as-is"),
    })
    .nullable()
    .default(null),
});

/**
 * The printer's character code table, selected with ESC t n before every receipt: cp858 (CP850 with
 * "€") or cp1252 for Western European text with the euro; cp437 and cp850 print "€" as "EUR".
 */
const codePageSchema = z.enum(CODE_PAGE_NAMES).default("cp1252");

export const printerConfigSchema = z.discriminatedUnion("mode", [
  z.strictObject({
    mode: z.literal("serial"),
    ...serialLine,
    lineEnding: z.literal("\n").default("\n"),
    /** Characters per line of the paper (58 mm: 32, 80 mm: 48). */
    columns: z.number().int().min(24).max(64).default(42),
    codePage: codePageSchema,
    /** How long to wait for the printer to answer a status request before calling it offline. */
    statusTimeoutMs: z.number().int().min(50).max(10_000).default(500),
  }),
  z.strictObject({
    mode: z.literal("simulated"),
    columns: z.number().int().min(24).max(64).default(42),
    codePage: codePageSchema,
  }),
  z.strictObject({ mode: z.literal("none") }),
]);

export const driversConfigSchema = z
  .strictObject({
    cardReader: cardReaderConfigSchema.prefault({ mode: "simulated" }),
    scanner: scannerConfigSchema.prefault({ mode: "none" }),
    gpio: gpioConfigSchema.prefault({}),
    printer: printerConfigSchema.prefault({ mode: "none" }),
    /** Which device opens the cash drawer: the GPIO relay or the printer's drawer port (ESC p). */
    cashDrawerVia: z.enum(["gpio", "printer"]).default("gpio"),
  })
  .superRefine((drivers, context) => {
    if (drivers.cashDrawerVia === "printer" && drivers.printer.mode === "none") {
      context.addIssue({
        code: "custom",
        path: ["cashDrawerVia"],
        message: '"printer" needs a printer (printer.mode is "none")',
      });
    }
    const { cashDrawer, statusLight, tamperSwitch } = drivers.gpio;
    const pins = [cashDrawer?.pin, statusLight?.pin, tamperSwitch?.pin].filter((pin) => pin !== undefined);
    if (new Set(pins).size !== pins.length) {
      context.addIssue({ code: "custom", path: ["gpio"], message: "two devices use the same BCM pin" });
    }
    const reader = drivers.cardReader;
    const scanner = drivers.scanner;
    if (reader.mode === "serial" && scanner.mode === "serial" && reader.path === scanner.path) {
      context.addIssue({
        code: "custom",
        path: ["scanner", "path"],
        message: 'is the card reader\'s port too: use one device with cardReader.role "both"',
      });
    }
  });

export type DriversConfig = z.infer<typeof driversConfigSchema>;
export type CardReaderConfig = z.infer<typeof cardReaderConfigSchema>;
export type GpioConfig = z.infer<typeof gpioConfigSchema>;
export type PrinterConfig = z.infer<typeof printerConfigSchema>;
