import { createRequire } from "node:module";
import { ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";
import { type HeaderChip, sysfsNumber } from "./chip-base.js";
import type { InputPin, Level, OutputPin, PinFactory } from "./pins.js";

/** The part of onoff's Gpio class the drivers use (tests pass a stand-in of this shape). */
export interface OnoffLine {
  write(level: Level): Promise<void>;
  writeSync(level: Level): void;
  read(): Promise<Level>;
  watch(callback: (error: Error | null | undefined, value: Level) => void): void;
  unwatchAll(): void;
  unexport(): void;
}
export interface GpioClass {
  readonly accessible: boolean;
  new (
    gpio: number,
    direction: "in" | "out" | "high" | "low",
    edge?: "none" | "rising" | "falling" | "both",
    options?: { activeLow?: boolean },
  ): OnoffLine;
}

/** onoff, loaded only when real pins are used (it pulls in the native epoll module). */
export function loadOnoff(): GpioClass {
  const require = createRequire(import.meta.url);
  return (require("onoff") as { Gpio: GpioClass }).Gpio;
}

function opened<T>(pin: number, open: () => T): T {
  try {
    return open();
  } catch (error) {
    throw new KioskError(
      ErrorCodes.GPIO_UNAVAILABLE,
      `Cannot open GPIO ${pin}: ${(error as Error).message}`,
      { pin },
    );
  }
}

/** Real pins through onoff's sysfs interface, numbered BCM + the header chip's base. */
export function onoffPins(Gpio: GpioClass, chip: HeaderChip): PinFactory {
  return {
    simulated: false,
    output(bcmPin: number, activeLow: boolean): OutputPin {
      // "low" sets the direction and an inactive level in one step, so a relay never clicks at start.
      const gpio = opened(bcmPin, () => new Gpio(sysfsNumber(chip, bcmPin), "low", "none", { activeLow }));
      return {
        write: (level: Level) => gpio.write(level),
        release: () => {
          gpio.writeSync(0);
          gpio.unexport();
        },
      };
    },
    input(bcmPin: number, activeLow: boolean): InputPin {
      const gpio = opened(bcmPin, () => new Gpio(sysfsNumber(chip, bcmPin), "in", "both", { activeLow }));
      return {
        read: () => gpio.read(),
        watch: (onEdge) => gpio.watch(() => onEdge()),
        release: () => {
          gpio.unwatchAll();
          gpio.unexport();
        },
      };
    },
  };
}
