import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import { type CardPrefixRule, DEFAULT_CARD_PREFIXES } from "../payments/card/card-brand.js";
import { DEFAULT_SCAN_OPTIONS } from "./card-reader/invoice-scan.js";
import { LineReader, type ReaderHealth } from "./card-reader/line-reader.js";
import type { CardReaderConfig, DriversConfig, PrinterConfig } from "./config.js";
import type { CashDrawer } from "./gpio/cash-drawer.js";
import { type GpioDeps, GpioDevices, type GpioHealth } from "./gpio/gpio-devices.js";
import { PrinterEmulator } from "./printer/printer-emulator.js";
import { type PrinterHealth, ReceiptPrinter } from "./printer/receipt-printer.js";
import { SimulatedLine } from "./serial/simulated-line.js";
import { serialTransport } from "./serial/transport.js";

export interface DriversDeps {
  readonly logger: Logger;
  readonly clock: Clock;
  /** Prefix → card type table for the brand on a card read. */
  readonly cardPrefixes?: readonly CardPrefixRule[];
  readonly gpio?: Pick<GpioDeps, "loadGpio" | "simulator">;
}

export type DeviceHealth = ReaderHealth | GpioHealth | PrinterHealth;

/** Every device the kiosk drives, made from config; the simulated ones expose their far end. */
export interface Drivers {
  readonly cardReader: LineReader | null;
  readonly scanner: LineReader | null;
  readonly gpio: GpioDevices;
  readonly printer: ReceiptPrinter | null;
  /** The relay or the printer's kick connector, as `cashDrawerVia` says; null when neither is set up. */
  readonly cashDrawer: CashDrawer | null;
  /** In simulated mode, the device end of each line: emit swipes and scans, or play the printer. */
  readonly simulated: {
    readonly cardReader: SimulatedLine | null;
    readonly scanner: SimulatedLine | null;
    readonly printer: PrinterEmulator | null;
  };
  health(): DeviceHealth[];
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** A card reader or scanner from its config section; a simulated one comes with its far end. */
export function createLineReader(
  device: "card-reader" | "scanner",
  config: CardReaderConfig,
  deps: DriversDeps,
): { reader: LineReader | null; line: SimulatedLine | null } {
  if (config.mode === "none") return { reader: null, line: null };
  const line = config.mode === "simulated" ? new SimulatedLine() : null;
  const serial = config.mode === "serial" ? config : null;
  const reader = new LineReader({
    device,
    open: serial
      ? serialTransport({ path: serial.path, baudRate: serial.baudRate })
      : (line ?? new SimulatedLine()).open,
    simulated: line !== null,
    lineEnding: serial ? serial.lineEnding : "\r",
    maxLineLength: config.maxLineLength,
    role: config.role,
    prefixes: deps.cardPrefixes ?? DEFAULT_CARD_PREFIXES,
    rejectExpired: config.rejectExpired,
    scan: { ...DEFAULT_SCAN_OPTIONS, invoicePattern: new RegExp(config.invoicePattern) },
    secretsTtlMs: config.secretsTtlMs,
    backoff: serial ? serial.reconnect : { initialMs: 250, maxMs: 5000 },
    clock: deps.clock,
    logger: deps.logger.child(device),
  });
  return { reader, line };
}

function receiptPrinter(
  config: PrinterConfig,
  deps: DriversDeps,
): { printer: ReceiptPrinter | null; emulator: PrinterEmulator | null } {
  if (config.mode === "none") return { printer: null, emulator: null };
  let emulator: PrinterEmulator | null = null;
  let open =
    config.mode === "serial" ? serialTransport({ path: config.path, baudRate: config.baudRate }) : null;
  if (open === null) {
    const line = new SimulatedLine();
    const device = new PrinterEmulator((bytes) => {
      line.emitData(bytes);
    });
    line.onWrite = (chunk) => device.receive(chunk);
    emulator = device;
    open = line.open;
  }
  const printer = new ReceiptPrinter({
    open,
    simulated: emulator !== null,
    columns: config.columns,
    codePage: config.codePage,
    statusTimeoutMs: config.mode === "serial" ? config.statusTimeoutMs : 500,
    backoff: config.mode === "serial" ? config.reconnect : { initialMs: 250, maxMs: 5000 },
    clock: deps.clock,
    logger: deps.logger.child("printer"),
  });
  return { printer, emulator };
}

export function createDrivers(config: DriversConfig, deps: DriversDeps): Drivers {
  const reader = createLineReader("card-reader", config.cardReader, deps);
  const scanner = createLineReader("scanner", config.scanner, deps);
  const { printer, emulator } = receiptPrinter(config.printer, deps);
  const gpio = new GpioDevices(config.gpio, {
    ...deps.gpio,
    logger: deps.logger.child("gpio"),
    clock: deps.clock,
  });
  const cashDrawer = config.cashDrawerVia === "printer" ? printer : gpio.cashDrawer;
  return {
    cardReader: reader.reader,
    scanner: scanner.reader,
    gpio,
    printer,
    cashDrawer,
    simulated: { cardReader: reader.line, scanner: scanner.line, printer: emulator },
    health: () =>
      [reader.reader?.health, scanner.reader?.health, gpio.health, printer?.health].filter(
        (health) => health !== undefined,
      ),
    start: async () => {
      await gpio.start();
      printer?.start();
      scanner.reader?.start();
      reader.reader?.start();
    },
    // Inputs first (no new swipe starts anything), then outputs, then the pins are given back.
    stop: async () => {
      await reader.reader?.stop();
      await scanner.reader?.stop();
      await printer?.stop();
      await gpio.stop();
    },
  };
}
