import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { expectKioskError } from "../../../test/helpers/kiosk-error.js";
import { ErrorCodes } from "../../core/error-codes.js";
import { findHeaderChip, sysfsNumber } from "./chip-base.js";

const LABELS = ["pinctrl-rp1", "pinctrl-bcm2711", "pinctrl-bcm2835"];
const roots: string[] = [];

/** A fake /sys with the gpiochip directories a board shows (label, base, ngpio). */
function fakeSysfs(chips: readonly { label: string; base: number; ngpio: number }[]): string {
  const root = mkdtempSync(join(tmpdir(), "spectra-sysfs-"));
  roots.push(root);
  mkdirSync(join(root, "class", "gpio"), { recursive: true });
  writeFileSync(join(root, "class", "gpio", "export"), "");
  for (const chip of chips) {
    const dir = join(root, "class", "gpio", `gpiochip${chip.base}`);
    mkdirSync(dir);
    writeFileSync(join(dir, "label"), `${chip.label}\n`);
    writeFileSync(join(dir, "base"), `${chip.base}\n`);
    writeFileSync(join(dir, "ngpio"), `${chip.ngpio}\n`);
  }
  return root;
}

afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

describe("finding the header's GPIO chip and its sysfs base", () => {
  it("Pi 4 on kernel 6.6: pinctrl-bcm2711 at base 512 (and the firmware expander beside it)", () => {
    const root = fakeSysfs([
      { label: "pinctrl-bcm2711", base: 512, ngpio: 58 },
      { label: "raspberrypi-exp-gpio", base: 570, ngpio: 8 },
    ]);
    const chip = findHeaderChip(root, LABELS);
    expect(chip).toEqual({ label: "pinctrl-bcm2711", base: 512, lines: 58 });
    expect(sysfsNumber(chip, 17)).toBe(529);
  });

  it("Pi 5 on kernel 6.6: pinctrl-rp1 at base 571, not the SoC's brcmstb chips at 512+", () => {
    const root = fakeSysfs([
      { label: "gpio-brcmstb@107d508500", base: 512, ngpio: 32 },
      { label: "gpio-brcmstb@107d508520", base: 544, ngpio: 4 },
      { label: "gpio-brcmstb@107d517c00", base: 548, ngpio: 17 },
      { label: "gpio-brcmstb@107d517c20", base: 565, ngpio: 6 },
      { label: "pinctrl-rp1", base: 571, ngpio: 54 },
    ]);
    const chip = findHeaderChip(root, LABELS);
    expect(chip.base).toBe(571);
    expect(sysfsNumber(chip, 17)).toBe(588);
    expect(sysfsNumber(chip, 27)).toBe(598);
  });

  it("Pi 5 on its first kernel (6.1): pinctrl-rp1 at base 399, below the SoC chips", () => {
    const root = fakeSysfs([
      { label: "pinctrl-rp1", base: 399, ngpio: 54 },
      { label: "gpio-brcmstb@107d517c00", base: 453, ngpio: 17 },
    ]);
    expect(sysfsNumber(findHeaderChip(root, LABELS), 17)).toBe(416);
  });

  it("old kernel: pinctrl-bcm2835 at base 0, so BCM numbers are sysfs numbers", () => {
    const chip = findHeaderChip(fakeSysfs([{ label: "pinctrl-bcm2835", base: 0, ngpio: 54 }]), LABELS);
    expect(chip.base).toBe(0);
    expect(sysfsNumber(chip, 22)).toBe(22);
  });

  it("says what it found when no label matches, and refuses pins the chip does not have", () => {
    const root = fakeSysfs([{ label: "some-other-chip", base: 0, ngpio: 8 }]);
    const error = expectKioskError(() => findHeaderChip(root, LABELS), ErrorCodes.GPIO_CHIP_NOT_FOUND);
    expect(error.message).toContain("some-other-chip");
    expectKioskError(() => findHeaderChip(join(root, "missing"), LABELS), ErrorCodes.GPIO_UNAVAILABLE);
    expectKioskError(
      () => sysfsNumber({ label: "pinctrl-rp1", base: 571, lines: 54 }, 54),
      ErrorCodes.GPIO_UNAVAILABLE,
    );
  });
});
