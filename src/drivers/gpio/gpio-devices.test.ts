import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { expectKioskErrorAsync } from "../../../test/helpers/kiosk-error.js";
import { systemClock } from "../../core/clock.js";
import { ErrorCodes } from "../../core/error-codes.js";
import { createMemoryLogger } from "../../core/logger.js";
import { contractConfig, describeGpioContract } from "./gpio-contract.test-helpers.js";
import { GpioDevices } from "./gpio-devices.js";
import type { Level } from "./pins.js";
import { SimulatedPins } from "./simulated-pins.js";

describeGpioContract("simulator", () => {
  const simulator = new SimulatedPins();
  return {
    deps: { simulator, loadGpio: () => Object.assign(FakeOnoff.make(new Map()), { accessible: false }) },
    config: contractConfig(),
    expectedState: "simulated",
    level: (pin) => simulator.level(pin),
    setInput: (pin, level) => simulator.set(pin, level),
    released: (pin) => simulator.released.has(pin),
  };
});

/**
 * A stand-in for onoff's Gpio class (this machine has no GPIO): it keeps each line's level by sysfs
 * number, so the contract run through onoffPins proves the BCM → sysfs mapping, activeLow, edges
 * and unexport. The real onoff runs only on a Pi.
 */
class FakeOnoff {
  static make(lines: Map<number, FakeOnoff>) {
    return class extends FakeOnoff {
      static accessible = true;
      constructor(sysfs: number, direction: string, _edge?: string, options?: { activeLow?: boolean }) {
        super(direction, options?.activeLow ?? false);
        lines.set(sysfs, this);
      }
    };
  }
  physical: Level = 0;
  exported = true;
  readonly watchers = new Set<(error: Error | null | undefined, value: Level) => void>();
  constructor(
    readonly direction: string,
    readonly activeLowSetting: boolean,
  ) {
    // Outputs open inactive ("low"); inputs idle inactive (an active-low switch is pulled up).
    this.physical = activeLowSetting ? 1 : 0;
  }
  logical(): Level {
    return (this.activeLowSetting ? 1 - this.physical : this.physical) as Level;
  }
  async write(level: Level): Promise<void> {
    this.writeSync(level);
  }
  writeSync(level: Level): void {
    this.physical = (this.activeLowSetting ? 1 - level : level) as Level;
  }
  async read(): Promise<Level> {
    return this.logical();
  }
  watch(callback: (error: Error | null | undefined, value: Level) => void): void {
    this.watchers.add(callback);
  }
  unwatchAll(): void {
    this.watchers.clear();
  }
  unexport(): void {
    this.exported = false;
  }
}

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});
function pi4Sysfs(): string {
  const root = mkdtempSync(join(tmpdir(), "spectra-gpio-"));
  roots.push(root);
  const chip = join(root, "class", "gpio", "gpiochip512");
  mkdirSync(chip, { recursive: true });
  writeFileSync(join(chip, "label"), "pinctrl-bcm2711\n");
  writeFileSync(join(chip, "base"), "512\n");
  writeFileSync(join(chip, "ngpio"), "58\n");
  return root;
}

describeGpioContract("onoff pins on a Pi 4 with kernel 6.6 (base 512)", () => {
  const lines = new Map<number, FakeOnoff>();
  const line = (bcm: number): FakeOnoff => {
    const found = lines.get(bcm + 512);
    if (!found) throw new Error(`sysfs line ${bcm + 512} was never opened`);
    return found;
  };
  return {
    deps: { loadGpio: () => FakeOnoff.make(lines) },
    // Active-low relay: the contract's logical levels must hold whatever the wiring.
    config: contractConfig({ sysfsRoot: pi4Sysfs(), cashDrawer: { pin: 17, pulseMs: 150, activeLow: true } }),
    expectedState: "ready",
    level: (bcm) => line(bcm).logical(),
    setInput: (bcm, level) => {
      const input = line(bcm);
      input.physical = (input.activeLowSetting ? 1 - level : level) as Level;
      for (const watcher of input.watchers) watcher(null, input.physical);
    },
    released: (bcm) => !line(bcm).exported,
  };
});

describe("GpioDevices when the pins cannot be used", () => {
  it("reports error with the reason and refuses to open the drawer rather than pretend", async () => {
    const gpio = new GpioDevices(contractConfig({ sysfsRoot: "/nonexistent" }), {
      loadGpio: () => FakeOnoff.make(new Map()),
      logger: createMemoryLogger(),
      clock: systemClock,
    });
    await gpio.start();
    expect(gpio.health.state).toBe("error");
    expect(gpio.health.detail).toContain(ErrorCodes.GPIO_UNAVAILABLE);
    const drawer = gpio.cashDrawer;
    if (!drawer) throw new Error("no drawer");
    await expectKioskErrorAsync(() => drawer.open(), ErrorCodes.GPIO_UNAVAILABLE);
    await gpio.stop();
  });

  it("says simulated when configured so, without loading onoff", () => {
    const gpio = new GpioDevices(contractConfig({ mode: "simulated" }), {
      loadGpio: () => {
        throw new Error("onoff must not be loaded");
      },
      logger: createMemoryLogger(),
      clock: systemClock,
    });
    expect(gpio.health).toMatchObject({ state: "simulated", detail: "simulated in the configuration" });
  });
});
