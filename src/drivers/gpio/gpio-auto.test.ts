import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, onTestFinished } from "vitest";
import { SimulatedGpioChip } from "../../../test/helpers/gpio-chip.js";
import { expectKioskErrorAsync } from "../../../test/helpers/kiosk-error.js";
import { systemClock } from "../../core/clock.js";
import { type ErrorCode, ErrorCodes } from "../../core/error-codes.js";
import { createMemoryLogger } from "../../core/logger.js";
import { contractConfig } from "./gpio-contract.test-helpers.js";
import { GpioDevices } from "./gpio-devices.js";
import type { GpioClass } from "./onoff-pins.js";

const scratch = mkdtempSync(join(tmpdir(), "spectra-board-"));
const chips: SimulatedGpioChip[] = [];
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
  for (const chip of chips) chip.remove();
});

/** A device-tree model file as the board's firmware writes it (NUL-terminated). */
function boardModel(model: string): string {
  const path = join(scratch, `model-${model.replaceAll(" ", "-")}`);
  writeFileSync(path, `${model}\0`);
  return path;
}
const PI4 = boardModel("Raspberry Pi 4 Model B Rev 1.4");
const PC = join(scratch, "no-device-tree");
// onoff finding no /sys/class/gpio (as under the unit's hardening, or on a kernel without sysfs GPIO).
const noSysfs = (): GpioClass => Object.assign(class {}, { accessible: false }) as unknown as GpioClass;

function autoGpio(toolsDir: string, boardModelPath: string) {
  const logger = createMemoryLogger();
  const gpio = new GpioDevices(contractConfig({ mode: "auto", toolsDir }), {
    logger,
    clock: systemClock,
    boardModelPath,
    loadGpio: noSysfs,
  });
  return { gpio, logger };
}

/** The loud failure: error health with the code, an error log line with it, a drawer that refuses. */
async function expectLoudFailure(gpio: GpioDevices, logger: { lines: string[] }, code: ErrorCode) {
  await gpio.start();
  expect(gpio.health.state).toBe("error");
  expect(gpio.health.backend).toBe("none");
  expect(gpio.health.detail).toContain(`[${code}]`);
  const errors = logger.lines.map((line) => JSON.parse(line)).filter((entry) => entry.level === "error");
  expect(errors.some((entry) => entry.code === code)).toBe(true);
  const drawer = gpio.cashDrawer;
  if (!drawer) throw new Error("no drawer");
  await expectKioskErrorAsync(() => drawer.open(), code);
  await gpio.stop();
}

describe("GPIO mode auto", () => {
  it("on a Pi whose chip the kiosk may not open: GPIO_NO_ACCESS, never the simulator", async () => {
    const chip = new SimulatedGpioChip([
      { name: "gpiochip0", label: "pinctrl-bcm2711", lines: 58, denied: true },
    ]);
    chips.push(chip);
    const { gpio, logger } = autoGpio(chip.toolsDir, PI4);
    await expectLoudFailure(gpio, logger, ErrorCodes.GPIO_NO_ACCESS);
  });

  it("on a Pi without libgpiod's tools: GPIO_TOOLS_MISSING, never the simulator", async () => {
    const { gpio, logger } = autoGpio(join(scratch, "no-tools-here"), PI4);
    await expectLoudFailure(gpio, logger, ErrorCodes.GPIO_TOOLS_MISSING);
  });

  it("on a Pi that shows no chip at all (no /dev/gpiochip*, no sysfs): GPIO_UNAVAILABLE naming the board", async () => {
    const chip = new SimulatedGpioChip([]);
    chips.push(chip);
    const { gpio, logger } = autoGpio(chip.toolsDir, PI4);
    await expectLoudFailure(gpio, logger, ErrorCodes.GPIO_UNAVAILABLE);
    expect(gpio.health.detail).toContain("Raspberry Pi 4 Model B");
  });

  it("on a Pi with access: the character device", async () => {
    const chip = new SimulatedGpioChip([{ name: "gpiochip0", label: "pinctrl-bcm2711", lines: 58 }]);
    chips.push(chip);
    const { gpio } = autoGpio(chip.toolsDir, PI4);
    await gpio.start();
    onTestFinished(() => gpio.stop());
    expect(gpio.health).toMatchObject({ state: "ready", backend: "chardev" });
    await gpio.stop();
  });

  it("on a machine that is not a Pi and has no GPIO (or only a chip of its own): the simulator, and health says so", async () => {
    const chip = new SimulatedGpioChip([]);
    const laptop = new SimulatedGpioChip([{ name: "gpiochip0", label: "INT34C5:00", lines: 463 }]);
    chips.push(chip, laptop);
    for (const toolsDir of [chip.toolsDir, laptop.toolsDir, join(scratch, "no-tools-here")]) {
      const { gpio } = autoGpio(toolsDir, PC);
      await gpio.start();
      expect(gpio.health).toMatchObject({ state: "simulated", backend: "simulated" });
      expect(gpio.health.detail).toContain("not a Raspberry Pi");
      await gpio.stop();
    }
  });
});
