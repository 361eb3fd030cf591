import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { expectKioskErrorAsync } from "../../../test/helpers/kiosk-error.js";
import { until } from "../../../test/helpers/wait.js";
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

/**
 * How long a level may take to reach the pin: a backend that runs a process per change (the
 * character device through libgpiod's tools) is not instant, but must stay well under a tap.
 */
const SETTLE_MS = 1000;

/** The one suite every GPIO implementation passes (STYLE point 12). */
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
      expect(harness.level(DRAWER_PIN)).toBe(0);
      const opening = drawer.open();
      // Watch the pin itself: how long it stays energised is what opens the drawer.
      await until(() => harness.level(DRAWER_PIN) === 1, "the relay energised", SETTLE_MS, 2);
      const rose = performance.now();
      await until(() => harness.level(DRAWER_PIN) === 0, "the relay dropped", SETTLE_MS, 2);
      const fell = performance.now();
      await opening;
      expect(fell - rose).toBeGreaterThanOrEqual(145);
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
      await until(() => harness.level(LIGHT_PIN) === 1, "the light on", SETTLE_MS, 5);
      gpio.showStatus("processing");
      const seen = new Set<Level>();
      for (let sample = 0; sample < 30; sample += 1) {
        seen.add(harness.level(LIGHT_PIN));
        await sleep(25);
      }
      expect(seen).toEqual(new Set([0, 1]));
      gpio.showStatus("off");
      await until(() => harness.level(LIGHT_PIN) === 0, "the light off", SETTLE_MS, 5);
      await sleep(300);
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
      await until(() => events.length > 0, "the open event", SETTLE_MS, 5);
      await sleep(150);
      expect(events.map((event) => event.state)).toEqual(["open"]);
      harness.setInput(SWITCH_PIN, 0);
      await until(() => events.length > 1, "the closed event", SETTLE_MS, 5);
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
