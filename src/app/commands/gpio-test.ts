import { setTimeout as sleep } from "node:timers/promises";
import type { Command } from "commander";
import { loadConfig } from "../../config/load.js";
import { systemClock } from "../../core/clock.js";
import { createMemoryLogger } from "../../core/logger.js";
import { GpioDevices } from "../../drivers/gpio/gpio-devices.js";
import type { Output } from "../output.js";

export interface GpioTestOptions {
  readonly config?: string;
  /** How long to blink the light and watch the tamper switch, in seconds. */
  readonly seconds?: string;
}

/**
 * `gpio test`: for an installer checking the wiring. Opens the configured pins the way the kiosk
 * does (same mode, chip and polarity), pulses the drawer once, blinks the light, reads the tamper
 * switch and reports every change while it blinks. Exit 1 when GPIO cannot be used or a device
 * fails. The kiosk holds the same lines while it runs: stop it first.
 */
export async function gpioTest(
  options: GpioTestOptions,
  env: NodeJS.ProcessEnv,
  output: Output,
): Promise<number> {
  const { config } = loadConfig({ file: options.config, env });
  const seconds = Number(options.seconds ?? 3);
  if (!Number.isFinite(seconds) || seconds < 0 || seconds > 600) {
    output.err("error: --seconds is 0 to 600");
    return 2;
  }
  const gpio = new GpioDevices(config.drivers.gpio, { logger: createMemoryLogger(), clock: systemClock });
  let failures = 0;
  const fail = (what: string, message: string) => {
    failures += 1;
    output.out(`${what}: FAILED ${message}`);
  };
  try {
    await gpio.start();
    const health = gpio.health;
    output.out(
      `gpio: ${health.state} (${health.backend})${health.chip ? ` on ${health.chip.label}` : ""}${health.detail ? `: ${health.detail}` : ""}`,
    );
    if (health.state === "error") {
      if (/busy/i.test(health.detail ?? ""))
        output.out(
          "hint: the kiosk holds these lines while it runs: systemctl stop spectra-kiosk, then try again",
        );
      return 1;
    }
    const drawer = gpio.cashDrawer;
    const gpioConfig = config.drivers.gpio;
    if (drawer && gpioConfig.cashDrawer) {
      try {
        await drawer.open();
        output.out(
          `cash drawer: pulsed BCM ${gpioConfig.cashDrawer.pin} for ${gpioConfig.cashDrawer.pulseMs} ms`,
        );
      } catch (error) {
        fail("cash drawer", (error as Error).message);
      }
    } else output.out("cash drawer: not configured");
    if (gpioConfig.tamperSwitch) {
      output.out(`tamper switch: ${gpio.tamperState ?? "unread"} (BCM ${gpioConfig.tamperSwitch.pin})`);
      gpio.on("tamper", (event) => output.out(`tamper switch: ${event.state} at ${event.at}`));
    } else output.out("tamper switch: not configured");
    if (gpioConfig.statusLight) {
      gpio.showStatus("processing");
      output.out(`status light: blinking BCM ${gpioConfig.statusLight.pin} for ${seconds} s`);
    } else output.out("status light: not configured");
    await sleep(seconds * 1000);
    if (gpio.health.state === "error") fail("gpio", gpio.health.detail ?? "error");
  } finally {
    await gpio.stop();
  }
  output.out(failures === 0 ? "gpio test: done" : `gpio test: ${failures} failure(s)`);
  return failures === 0 ? 0 : 1;
}

export function registerGpioCommands(
  program: Command,
  output: Output,
  env: NodeJS.ProcessEnv,
  setExitCode: (code: number) => void,
): void {
  const gpio = program
    .command("gpio")
    .description("the GPIO-driven devices: cash drawer, status light, tamper switch");
  gpio
    .command("test")
    .description("pulse the drawer, blink the light and read the tamper switch, to check the wiring")
    .option(
      "-c, --config <file>",
      "configuration file (default: $SPECTRA_KIOSK_CONFIG or config/default.json)",
    )
    .option("--seconds <n>", "how long to blink the light and watch the switch", "3")
    .action(async (options: GpioTestOptions) => setExitCode(await gpioTest(options, env, output)));
}
