import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { expectKioskErrorAsync } from "../../../test/helpers/kiosk-error.js";
import { systemClock } from "../../core/clock.js";
import { ErrorCodes } from "../../core/error-codes.js";
import { createMemoryLogger } from "../../core/logger.js";
import { type GpioConfig, gpioConfigSchema } from "../config.js";
import { type GpioDeps, GpioDevices } from "./gpio-devices.js";
import type { Level } from "./pins.js";
import type { TamperEvent } from "./tamper-switch.js";

export const DRAWER_PIN = 17;
export const LIGHT_PIN = 27;
export const SWITCH_PIN = 22;

export const contractConfig = (overrides: Partial<GpioConfig> = {}): GpioConfig =>
  gpioConfigSchema.parse({
    mode: "auto",
    cashDrawer: { pin: DRAWER_PIN, pulseMs: 150 },
    statusLight: { pin: LIGHT_PIN },
    tamperSwitch: { pin: SWITCH_PIN, debounceMs: 40 },
    ...overrides,
  });

/** What the contract needs from the pins' side: read outputs, drive the switch, see releases. */
export interface GpioHarness {
  readonly deps: Omit<GpioDeps, "logger" | "clock">;
  readonly config: GpioConfig;
  readonly expectedState: "ready" | "simulated";
  level(bcmPin: number): Level;
  setInput(bcmPin: number, level: Level): void;
  released(bcmPin: number): boolean;
}

/** The one suite both GPIO implementations pass (STYLE point 12). */
export function describeGpioContract(name: string, makeHarness: () => GpioHarness): void {
  describe(`GPIO contract: ${name}`, () => {
    let harness: GpioHarness;
    let gpio: GpioDevices;

    beforeEach(async () => {
      harness = makeHarness();
      gpio = new GpioDevices(harness.config, {
        ...harness.deps,
        logger: createMemoryLogger(),
        clock: systemClock,
      });
      await gpio.start();
    });
    afterEach(async () => {
      await gpio.stop();
    });

    it("reports its health", () => {
      expect(gpio.health.state).toBe(harness.expectedState);
    });

    it("pulses the drawer relay for the configured time, then drops it", async () => {
      const drawer = gpio.cashDrawer;
      if (!drawer) throw new Error("no drawer");
      const started = performance.now();
      const opening = drawer.open();
      await sleep(10);
      expect(harness.level(DRAWER_PIN)).toBe(1);
      await opening;
      expect(performance.now() - started).toBeGreaterThanOrEqual(145);
      expect(harness.level(DRAWER_PIN)).toBe(0);
    });

    it("refuses a second pulse while one runs, and takes one after", async () => {
      const drawer = gpio.cashDrawer;
      if (!drawer) throw new Error("no drawer");
      const first = drawer.open();
      await expectKioskErrorAsync(() => drawer.open(), ErrorCodes.DRAWER_PULSE_BUSY);
      await first;
      await drawer.open();
      expect(harness.level(DRAWER_PIN)).toBe(0);
    });

    it("shows ready steady, blinks for processing, and goes dark when off", async () => {
      expect(harness.level(LIGHT_PIN)).toBe(1);
      gpio.showStatus("processing");
      const seen = new Set<Level>();
      for (let sample = 0; sample < 30; sample += 1) {
        seen.add(harness.level(LIGHT_PIN));
        await sleep(25);
      }
      expect(seen).toEqual(new Set([0, 1]));
      gpio.showStatus("off");
      await sleep(5);
      expect(harness.level(LIGHT_PIN)).toBe(0);
    });

    it("debounces a bouncing tamper switch into one event per real change", async () => {
      const events: TamperEvent[] = [];
      gpio.on("tamper", (event) => events.push(event));
      expect(gpio.tamperState).toBe("closed");
      for (const level of [1, 0, 1, 0, 1] as const) {
        harness.setInput(SWITCH_PIN, level);
        await sleep(2);
      }
      await sleep(150);
      expect(events.map((event) => event.state)).toEqual(["open"]);
      harness.setInput(SWITCH_PIN, 0);
      await sleep(150);
      expect(events.map((event) => event.state)).toEqual(["open", "closed"]);
      expect(gpio.tamperState).toBe("closed");
    });

    it("releases every pin on stop", async () => {
      await gpio.stop();
      for (const pin of [DRAWER_PIN, LIGHT_PIN, SWITCH_PIN]) expect(harness.released(pin)).toBe(true);
      expect(harness.level(DRAWER_PIN)).toBe(0);
    });
  });
}
