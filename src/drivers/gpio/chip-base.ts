import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";

/** The GPIO chip that carries the 40-pin header, as sysfs numbers it. */
export interface HeaderChip {
  readonly label: string;
  /** sysfs number of the chip's line 0: 0 on old kernels, 512+ on Raspberry Pi OS kernel 6.6+. */
  readonly base: number;
  readonly lines: number;
}

function readChip(dir: string): HeaderChip | null {
  try {
    const label = readFileSync(join(dir, "label"), "utf8").trim();
    const base = Number(readFileSync(join(dir, "base"), "utf8").trim());
    const lines = Number(readFileSync(join(dir, "ngpio"), "utf8").trim());
    if (!Number.isInteger(base) || base < 0 || !Number.isInteger(lines) || lines <= 0) return null;
    return { label, base, lines };
  } catch {
    return null;
  }
}

/**
 * Finds the header's chip under `<sysfsRoot>/class/gpio/gpiochip*` by label, trying the labels in
 * the configured order (Pi 5: pinctrl-rp1; Pi 4: pinctrl-bcm2711; older: pinctrl-bcm2835). onoff
 * takes sysfs numbers and does not add the base itself, so BCM 17 is sysfs 17 + base.
 */
export function findHeaderChip(sysfsRoot: string, labels: readonly string[]): HeaderChip {
  const gpioDir = join(sysfsRoot, "class", "gpio");
  let entries: string[];
  try {
    entries = readdirSync(gpioDir).filter((name) => name.startsWith("gpiochip"));
  } catch {
    throw new KioskError(ErrorCodes.GPIO_UNAVAILABLE, `There is no GPIO sysfs at ${gpioDir}.`, {
      path: gpioDir,
    });
  }
  const chips = entries.map((name) => readChip(join(gpioDir, name))).filter((chip) => chip !== null);
  for (const label of labels) {
    const chip = chips.find((candidate) => candidate.label === label);
    if (chip) return chip;
  }
  throw new KioskError(
    ErrorCodes.GPIO_CHIP_NOT_FOUND,
    `No GPIO chip labelled ${labels.join(" or ")} under ${gpioDir} (found: ${chips.map((chip) => chip.label).join(", ") || "none"}): add this board's label to drivers.gpio.chipLabels.`,
    { path: gpioDir },
  );
}

/** The sysfs number onoff needs for a BCM pin number on this chip. */
export function sysfsNumber(chip: HeaderChip, bcmPin: number): number {
  if (!Number.isInteger(bcmPin) || bcmPin < 0 || bcmPin >= chip.lines) {
    throw new KioskError(
      ErrorCodes.GPIO_UNAVAILABLE,
      `BCM pin ${bcmPin} is not on ${chip.label}, which has lines 0–${chip.lines - 1}.`,
      { pin: bcmPin, chip: chip.label },
    );
  }
  return chip.base + bcmPin;
}
