import { EventEmitter } from "node:events";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Clock } from "../../core/clock.js";
import { type ErrorCode, ErrorCodes } from "../../core/error-codes.js";
import { isKioskError, KioskError } from "../../core/kiosk-error.js";
import type { Logger } from "../../core/logger.js";
import type { GpioConfig } from "../config.js";
import { isRaspberryPi, readBoardModel } from "./board.js";
import { type CashDrawer, RelayCashDrawer } from "./cash-drawer.js";
import { chardevPins } from "./chardev-pins.js";
import { findHeaderChip, type HeaderChip } from "./chip-base.js";
import { scanChips } from "./gpiod-tools.js";
import { type GpioClass, loadOnoff, onoffPins } from "./onoff-pins.js";
import type { InputPin, OutputPin, PinFactory } from "./pins.js";
import { SimulatedPins } from "./simulated-pins.js";
import { type LightPattern, StatusLight } from "./status-light.js";
import { type TamperEvent, TamperSwitch } from "./tamper-switch.js";

/** How the pins are reached: the character device (libgpiod's tools), sysfs (onoff), or neither. */
export type GpioBackend = "chardev" | "sysfs" | "simulated" | "none";

/** ready: real pins · simulated: no GPIO here (a laptop) or chosen in config · error: pins unusable. */
export interface GpioHealth {
  readonly device: "gpio";
  readonly state: "ready" | "simulated" | "error";
  readonly backend: GpioBackend;
  readonly chip: HeaderChip | null;
  readonly detail: string | null;
}

export interface GpioDeps {
  readonly logger: Logger;
  readonly clock: Clock;
  /** onoff's Gpio class; tests pass a stand-in. Loaded lazily so laptops never load epoll. */
  readonly loadGpio?: () => GpioClass;
  /** The simulator to use; tests pass theirs to drive the switch and read the relay. */
  readonly simulator?: SimulatedPins;
  /** Where the device tree names the board (tests pass a file that says "Raspberry Pi …"). */
  readonly boardModelPath?: string;
}

/** Pins that refuse every use with the reason GPIO is unusable, so nothing fails silently. */
function unavailablePins(reason: KioskError): PinFactory {
  const refuse = async (): Promise<never> => {
    throw reason;
  };
  return {
    simulated: false,
    output: (): OutputPin => ({ write: refuse, release: () => {} }),
    input: (): InputPin => ({ read: refuse, watch: () => {}, release: () => {} }),
  };
}

/**
 * Simulated outputs say what they were set to in the debug log, so a laptop demo (and a test watching a
 * kiosk process from outside) sees the drawer relay pulse and the light change.
 */
function announced(pins: PinFactory, logger: Logger): PinFactory {
  return {
    simulated: pins.simulated,
    input: (bcmPin, activeLow) => pins.input(bcmPin, activeLow),
    output: (bcmPin, activeLow) => {
      const pin = pins.output(bcmPin, activeLow);
      return {
        write: async (level) => {
          await pin.write(level);
          logger.debug(`simulated GPIO pin ${bcmPin} set to ${level}`, { gpioPin: bcmPin, level });
        },
        release: () => pin.release(),
      };
    },
  };
}

type Choice = { pins: PinFactory; health: GpioHealth };

const ready = (pins: PinFactory, chip: HeaderChip | null, backend: GpioBackend): Choice => ({
  pins,
  health: { device: "gpio", state: "ready", backend, chip, detail: null },
});

/**
 * The header's chip on the character device, by label in the configured order. Strict (a Pi, or
 * chardev chosen in the configuration): a chip that cannot be opened or has another label is an
 * error. Not strict (another machine): only a chip with one of the labels counts; null otherwise.
 */
function chardevChoice(config: GpioConfig, strict = true): Choice | null {
  const scan = scanChips(config.toolsDir);
  for (const label of config.chipLabels) {
    const chip = scan.chips.find((candidate) => candidate.label === label);
    if (chip) {
      return ready(chardevPins(config.toolsDir, chip), { label, base: 0, lines: chip.lines }, "chardev");
    }
  }
  if (!strict) return null;
  const denied = scan.problems.find((problem) => /permission denied/i.test(problem));
  if (denied) {
    throw new KioskError(
      ErrorCodes.GPIO_NO_ACCESS,
      `${denied}: the kiosk's user needs the gpio group (install-pi.sh adds it) and the unit DeviceAllow=char-gpiochip.`,
    );
  }
  if (scan.chips.length === 0 && scan.problems.length === 0) return null;
  throw new KioskError(
    ErrorCodes.GPIO_CHIP_NOT_FOUND,
    `No GPIO chip labelled ${config.chipLabels.join(" or ")} (gpiodetect: ${[...scan.chips.map((chip) => `${chip.name} [${chip.label}]`), ...scan.problems].join("; ") || "none"}): add this board's label to drivers.gpio.chipLabels.`,
  );
}

/** onoff on /sys/class/gpio; null when onoff finds no sysfs GPIO on this machine. */
function sysfsChoice(config: GpioConfig, deps: GpioDeps): Choice | null {
  const Gpio = (deps.loadGpio ?? loadOnoff)();
  if (!Gpio.accessible) return null;
  const chip = findHeaderChip(config.sysfsRoot, config.chipLabels);
  return ready(onoffPins(Gpio, chip), chip, "sysfs");
}

function choosePins(config: GpioConfig, deps: GpioDeps): Choice {
  const simulated = (detail: string): Choice => ({
    pins: announced(deps.simulator ?? new SimulatedPins(), deps.logger),
    health: { device: "gpio", state: "simulated", backend: "simulated", chip: null, detail },
  });
  if (config.mode === "simulated") return simulated("simulated in the configuration");
  try {
    if (config.mode === "chardev") {
      return chardevChoice(config) ?? unusable(ErrorCodes.GPIO_UNAVAILABLE, "gpiodetect shows no GPIO chip.");
    }
    if (config.mode === "sysfs") {
      return (
        sysfsChoice(config, deps) ??
        unusable(ErrorCodes.GPIO_UNAVAILABLE, "There is no /sys/class/gpio here.")
      );
    }
    const model = readBoardModel(deps.boardModelPath);
    if (isRaspberryPi(model)) {
      // On a Pi the pins are real or the kiosk says loudly why not: never the simulator.
      return (
        chardevChoice(config) ??
        sysfsChoice(config, deps) ??
        unusable(
          ErrorCodes.GPIO_UNAVAILABLE,
          `This is a ${model} but no GPIO chip is visible to the kiosk (no /dev/gpiochip*, no /sys/class/gpio): check the unit's DeviceAllow=char-gpiochip.`,
        )
      );
    }
    const chardev = hasTools(config) ? chardevChoice(config, false) : null;
    return (
      chardev ??
      sysfsChoice(config, deps) ??
      simulated("no GPIO on this machine (not a Raspberry Pi, no GPIO chip)")
    );
  } catch (error) {
    const reason = isKioskError(error)
      ? error
      : new KioskError(ErrorCodes.GPIO_UNAVAILABLE, `GPIO cannot be used: ${(error as Error).message}`);
    return {
      pins: unavailablePins(reason),
      health: { device: "gpio", state: "error", backend: "none", chip: null, detail: reason.message },
    };
  }
}

/** The code a coded message starts with ("[GPIO_NO_ACCESS] …"), for the log line's field. */
function codeOf(detail: string | null): string {
  return /^\[([A-Z_]+)\]/.exec(detail ?? "")?.[1] ?? ErrorCodes.GPIO_UNAVAILABLE;
}

function unusable(code: ErrorCode, detail: string): never {
  throw new KioskError(code, detail);
}

/** Off a Pi, a missing gpiod package only means this machine has no GPIO to drive. */
function hasTools(config: GpioConfig): boolean {
  return existsSync(join(config.toolsDir, "gpiodetect"));
}

/**
 * The GPIO-driven hardware: cash drawer relay, status light, tamper switch. Real pins on the
 * character device (or sysfs where only that exists), the simulator on a machine without GPIO that is
 * not a Pi (health says which, and why when the pins cannot be used). `stop` gives every pin back.
 */
export class GpioDevices extends EventEmitter<{ tamper: [TamperEvent] }> {
  readonly #chosen: GpioHealth;
  /** The first pin that failed after the backend was chosen (a busy line, a refused request). */
  #fault: KioskError | null = null;
  readonly #realPins: boolean;
  readonly #drawer: RelayCashDrawer | null = null;
  readonly #light: StatusLight | null = null;
  readonly #tamper: TamperSwitch | null = null;
  readonly #pins: (OutputPin | InputPin)[] = [];
  readonly #logger: Logger;

  constructor(config: GpioConfig, deps: GpioDeps) {
    super();
    this.#logger = deps.logger;
    const { pins, health } = choosePins(config, deps);
    this.#chosen = health;
    this.#realPins = !pins.simulated;
    const opened = <T extends OutputPin | InputPin>(open: () => T): T | null => {
      try {
        const pin = open();
        this.#pins.push(pin);
        return pin;
      } catch (error) {
        this.#failed(error);
        return null;
      }
    };
    if (config.cashDrawer) {
      const { pin, activeLow, pulseMs } = config.cashDrawer;
      const output = opened(() => pins.output(pin, activeLow));
      if (output) this.#drawer = new RelayCashDrawer(output, pulseMs);
    }
    if (config.statusLight) {
      const { pin, activeLow } = config.statusLight;
      const output = opened(() => pins.output(pin, activeLow));
      if (output) this.#light = new StatusLight(output, deps.logger);
    }
    if (config.tamperSwitch) {
      const { pin, activeLow, debounceMs, bias } = config.tamperSwitch;
      const input = opened(() => pins.input(pin, activeLow, bias));
      if (input) {
        this.#tamper = new TamperSwitch(input, debounceMs, deps.clock, deps.logger);
        this.#tamper.on("tamper", (event) => this.emit("tamper", event));
      }
    }
    if (health.state === "error") {
      deps.logger.error(`gpio error: ${health.detail}`, { code: codeOf(health.detail) });
    } else {
      deps.logger.info(
        `gpio ${health.state} (${health.backend})${health.detail ? `: ${health.detail}` : ""}`,
      );
    }
  }

  /** ready, simulated or error with the coded reason; a pin failing later turns ready into error. */
  get health(): GpioHealth {
    if (this.#fault && this.#chosen.state === "ready") {
      return { ...this.#chosen, state: "error", detail: this.#fault.message };
    }
    return this.#chosen;
  }

  #failed(error: unknown): void {
    const reason = isKioskError(error)
      ? error
      : new KioskError(ErrorCodes.GPIO_UNAVAILABLE, `GPIO pin unusable: ${(error as Error).message}`);
    if (!this.#fault) this.#fault = reason;
    this.#logger.error(`gpio error: ${reason.message}`, { code: reason.code });
  }

  /** The relay drawer, or null when no drawer pin is configured. */
  get cashDrawer(): CashDrawer | null {
    return this.#drawer;
  }

  get tamperState(): TamperEvent["state"] | null {
    return this.#tamper?.state ?? null;
  }

  showStatus(pattern: LightPattern): void {
    this.#light?.show(pattern);
  }

  /**
   * Requests every line (outputs inactive, the switch read and watched) before saying ready, so a
   * line that is busy or refused shows in the health now, and the light says fault when it can.
   */
  async start(): Promise<void> {
    if (this.#chosen.state === "error") {
      this.showStatus("fault");
      return;
    }
    // Real outputs are requested now, inactive (the simulator's need nothing: they are in memory).
    if (this.#realPins) {
      for (const pin of this.#pins) {
        if ("write" in pin) await pin.write(0).catch((error: unknown) => this.#failed(error));
      }
    }
    try {
      await this.#tamper?.start();
    } catch (error) {
      this.#failed(error);
    }
    this.showStatus(this.#fault ? "fault" : "ready");
  }

  async stop(): Promise<void> {
    this.#light?.stop();
    this.#tamper?.stop();
    for (const pin of this.#pins.splice(0)) {
      try {
        await pin.release();
      } catch (error) {
        this.#logger.warn(`GPIO pin not released: ${(error as Error).message}`);
      }
    }
  }
}
