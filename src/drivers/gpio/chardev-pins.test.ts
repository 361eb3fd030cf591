import { afterAll, describe, expect, it, onTestFinished } from "vitest";
import { SimulatedGpioChip } from "../../../test/helpers/gpio-chip.js";
import { until } from "../../../test/helpers/wait.js";
import { systemClock } from "../../core/clock.js";
import { ErrorCodes } from "../../core/error-codes.js";
import { createMemoryLogger } from "../../core/logger.js";
import { contractConfig, DRAWER_PIN, describeGpioContract } from "./gpio-contract.test-helpers.js";
import { GpioDevices } from "./gpio-devices.js";
import type { Level } from "./pins.js";

// A Pi 4's chips as gpiodetect lists them: the header chip and the firmware's expander.
const PI4 = [
  { name: "gpiochip0", label: "pinctrl-bcm2711", lines: 58 },
  { name: "gpiochip1", label: "raspberrypi-exp-gpio", lines: 8 },
];
const chips: SimulatedGpioChip[] = [];
afterAll(() => {
  for (const chip of chips) chip.remove();
});
function simulatedChip(list: ConstructorParameters<typeof SimulatedGpioChip>[0] = PI4): SimulatedGpioChip {
  const chip = new SimulatedGpioChip(list);
  chips.push(chip);
  return chip;
}

describeGpioContract("character device through libgpiod's tools (simulated chip)", () => {
  const chip = simulatedChip();
  // Active-low relay and a switch with a pull-up: the logical levels must hold whatever the wiring.
  const config = contractConfig({
    mode: "chardev",
    toolsDir: chip.toolsDir,
    cashDrawer: { pin: DRAWER_PIN, pulseMs: 150, activeLow: true },
  });
  const activeLow = (pin: number): boolean =>
    pin === DRAWER_PIN || pin === config.tamperSwitch?.pin ? true : (config.statusLight?.activeLow ?? false);
  const logical = (pin: number, physical: Level): Level =>
    activeLow(pin) ? ((1 - physical) as Level) : physical;
  // An active-low switch idles high (pulled up): closed.
  chip.drive("gpiochip0", config.tamperSwitch?.pin ?? 0, 1);
  return {
    deps: {},
    config,
    expectedState: "ready",
    level: (pin) => logical(pin, chip.physical("gpiochip0", pin)),
    setInput: (pin, level) => chip.drive("gpiochip0", pin, logical(pin, level)),
    released: (pin) => !chip.held("gpiochip0", pin),
  };
});

describe("GPIO on the character device", () => {
  it("holds each line in its own process, named for the kiosk, and only the header chip's", async () => {
    const chip = simulatedChip();
    const gpio = new GpioDevices(contractConfig({ mode: "chardev", toolsDir: chip.toolsDir }), {
      logger: createMemoryLogger(),
      clock: systemClock,
    });
    await gpio.start();
    expect(gpio.health).toMatchObject({
      state: "ready",
      backend: "chardev",
      chip: { label: "pinctrl-bcm2711" },
    });
    // The light's "ready" replaces its inactive holder after start: wait for the new one.
    await until(() => [17, 27, 22].every((pin) => chip.held("gpiochip0", pin)), "all three lines held", 5000);
    for (const pin of [17, 27, 22]) expect(chip.consumer("gpiochip0", pin)).toBe("spectra-kiosk");
    expect(chip.held("gpiochip1", 17)).toBe(false);
    await gpio.stop();
    for (const pin of [17, 27, 22]) expect(chip.held("gpiochip0", pin)).toBe(false);
  });

  it("a line another process holds makes GPIO an error with the tool's words, and the drawer refuses", async () => {
    const chip = simulatedChip();
    const other = new GpioDevices(
      contractConfig({ mode: "chardev", toolsDir: chip.toolsDir, statusLight: null, tamperSwitch: null }),
      { logger: createMemoryLogger(), clock: systemClock },
    );
    await other.start();
    onTestFinished(() => other.stop());
    const logger = createMemoryLogger();
    const gpio = new GpioDevices(contractConfig({ mode: "chardev", toolsDir: chip.toolsDir }), {
      logger,
      clock: systemClock,
    });
    await gpio.start();
    onTestFinished(() => gpio.stop());
    expect(gpio.health.state).toBe("error");
    expect(gpio.health.detail).toContain(`[${ErrorCodes.GPIO_UNAVAILABLE}]`);
    expect(gpio.health.detail).toContain("Device or resource busy");
    const errors = logger.lines.map((line) => JSON.parse(line)).filter((entry) => entry.level === "error");
    expect(errors.some((entry) => /busy/.test(entry.msg) && entry.code === ErrorCodes.GPIO_UNAVAILABLE)).toBe(
      true,
    );
    await expect(gpio.cashDrawer?.open()).rejects.toThrow(/busy/);
    await gpio.stop();
    await other.stop();
  });

  it("a chip the kiosk may not open is GPIO_NO_ACCESS, and says which group it needs", async () => {
    const chip = simulatedChip([{ name: "gpiochip0", label: "pinctrl-bcm2711", lines: 58, denied: true }]);
    const gpio = new GpioDevices(contractConfig({ mode: "chardev", toolsDir: chip.toolsDir }), {
      logger: createMemoryLogger(),
      clock: systemClock,
    });
    await gpio.start();
    expect(gpio.health.state).toBe("error");
    expect(gpio.health.detail).toContain(`[${ErrorCodes.GPIO_NO_ACCESS}]`);
    expect(gpio.health.detail).toContain("gpio group");
    await gpio.stop();
  });
});
