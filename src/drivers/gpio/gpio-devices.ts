import { EventEmitter } from "node:events";
import type { Clock } from "../../core/clock.js";
import { ErrorCodes } from "../../core/error-codes.js";
import { isKioskError, KioskError } from "../../core/kiosk-error.js";
import type { Logger } from "../../core/logger.js";
import type { GpioConfig } from "../config.js";
import { type CashDrawer, RelayCashDrawer } from "./cash-drawer.js";
import { findHeaderChip, type HeaderChip } from "./chip-base.js";
import { type GpioClass, loadOnoff, onoffPins } from "./onoff-pins.js";
import type { InputPin, OutputPin, PinFactory } from "./pins.js";
import { SimulatedPins } from "./simulated-pins.js";
import { type LightPattern, StatusLight } from "./status-light.js";
import { type TamperEvent, TamperSwitch } from "./tamper-switch.js";

/** ready: real pins · simulated: no GPIO here (a laptop) or chosen in config · error: pins unusable. */
export interface GpioHealth {
  readonly device: "gpio";
  readonly state: "ready" | "simulated" | "error";
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

function choosePins(config: GpioConfig, deps: GpioDeps): { pins: PinFactory; health: GpioHealth } {
  const simulated = (detail: string) => ({
    pins: announced(deps.simulator ?? new SimulatedPins(), deps.logger),
    health: { device: "gpio", state: "simulated", chip: null, detail } as const,
  });
  if (config.mode === "simulated") return simulated("simulated in the configuration");
  try {
    const Gpio = (deps.loadGpio ?? loadOnoff)();
    if (!Gpio.accessible) return simulated("no GPIO on this machine (onoff: Gpio.accessible is false)");
    const chip = findHeaderChip(config.sysfsRoot, config.chipLabels);
    return { pins: onoffPins(Gpio, chip), health: { device: "gpio", state: "ready", chip, detail: null } };
  } catch (error) {
    const reason = isKioskError(error)
      ? error
      : new KioskError(ErrorCodes.GPIO_UNAVAILABLE, `GPIO cannot be used: ${(error as Error).message}`);
    return {
      pins: unavailablePins(reason),
      health: { device: "gpio", state: "error", chip: null, detail: reason.message },
    };
  }
}

/**
 * The GPIO-driven hardware: cash drawer relay, status light, tamper switch. Real pins through onoff
 * when the machine has them, the simulator otherwise (health says which). `stop` gives every pin back.
 */
export class GpioDevices extends EventEmitter<{ tamper: [TamperEvent] }> {
  readonly health: GpioHealth;
  readonly #drawer: RelayCashDrawer | null = null;
  readonly #light: StatusLight | null = null;
  readonly #tamper: TamperSwitch | null = null;
  readonly #pins: (OutputPin | InputPin)[] = [];
  readonly #logger: Logger;

  constructor(config: GpioConfig, deps: GpioDeps) {
    super();
    this.#logger = deps.logger;
    const { pins, health } = choosePins(config, deps);
    this.health = health;
    const opened = <T extends OutputPin | InputPin>(open: () => T): T | null => {
      try {
        const pin = open();
        this.#pins.push(pin);
        return pin;
      } catch (error) {
        deps.logger.error(`GPIO pin not opened: ${(error as Error).message}`);
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
      const { pin, activeLow, debounceMs } = config.tamperSwitch;
      const input = opened(() => pins.input(pin, activeLow));
      if (input) {
        this.#tamper = new TamperSwitch(input, debounceMs, deps.clock, deps.logger);
        this.#tamper.on("tamper", (event) => this.emit("tamper", event));
      }
    }
    deps.logger.info(`gpio ${health.state}${health.detail ? `: ${health.detail}` : ""}`);
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

  async start(): Promise<void> {
    try {
      await this.#tamper?.start();
    } catch (error) {
      this.#logger.warn(`tamper switch not watched: ${(error as Error).message}`);
    }
    this.showStatus("ready");
  }

  async stop(): Promise<void> {
    this.#light?.stop();
    this.#tamper?.stop();
    for (const pin of this.#pins.splice(0)) {
      try {
        pin.release();
      } catch (error) {
        this.#logger.warn(`GPIO pin not released: ${(error as Error).message}`);
      }
    }
  }
}
