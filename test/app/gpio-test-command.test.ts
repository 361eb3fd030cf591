import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../src/app/main.js";
import { SimulatedGpioChip } from "../helpers/gpio-chip.js";
import { rawTestConfig } from "../helpers/kiosk-config.js";

const dir = mkdtempSync(join(tmpdir(), "spectra-gpio-test-"));
const chip = new SimulatedGpioChip([{ name: "gpiochip0", label: "pinctrl-bcm2711", lines: 58 }]);
afterAll(() => {
  chip.remove();
  rmSync(dir, { recursive: true, force: true });
});

function configFile(name: string, gpio: Record<string, unknown>): string {
  const raw = rawTestConfig({ deviceId: "kiosk-gpio-test", dataDir: dir });
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify({ ...raw, drivers: { ...(raw.drivers as object), gpio } }));
  return file;
}

async function run(file: string, seconds: string, onLine: (line: string) => void = () => {}) {
  const lines: string[] = [];
  const output = {
    out: (line: string) => {
      lines.push(line);
      onLine(line);
    },
    err: (line: string) => lines.push(line),
  };
  const code = await main(
    ["node", "spectra-kiosk", "gpio", "test", "--config", file, "--seconds", seconds],
    output,
  );
  return { code, lines };
}

describe("spectra-kiosk gpio test", () => {
  it("pulses the drawer, blinks the light, reports the tamper switch and lets every line go", async () => {
    const file = configFile("wired", {
      mode: "chardev",
      toolsDir: chip.toolsDir,
      cashDrawer: { pin: 17, pulseMs: 120 },
      statusLight: { pin: 27 },
      tamperSwitch: { pin: 22, activeLow: true, bias: "pull-up", debounceMs: 20 },
    });
    chip.drive("gpiochip0", 22, 1); // pulled up: closed
    const seen = { drawer: new Set<number>(), light: new Set<number>() };
    const watcher = setInterval(() => {
      seen.drawer.add(chip.physical("gpiochip0", 17));
      seen.light.add(chip.physical("gpiochip0", 27));
    }, 5);
    // Open the door while the light blinks: the command reports it.
    const { code, lines } = await run(file, "2", (line) => {
      if (line.startsWith("status light: blinking")) setTimeout(() => chip.drive("gpiochip0", 22, 0), 300);
    });
    clearInterval(watcher);
    expect(lines.join("\n")).toMatch(/gpio: ready \(chardev\) on pinctrl-bcm2711/);
    expect(lines).toContain("cash drawer: pulsed BCM 17 for 120 ms");
    expect(lines).toContain("tamper switch: closed (BCM 22)");
    expect(lines.some((line) => line.startsWith("tamper switch: open at "))).toBe(true);
    expect(lines).toContain("status light: blinking BCM 27 for 2 s");
    expect(code).toBe(0);
    expect([...seen.drawer].sort()).toEqual([0, 1]);
    expect([...seen.light].sort()).toEqual([0, 1]);
    for (const pin of [17, 27, 22]) expect(chip.held("gpiochip0", pin)).toBe(false);
    expect(chip.physical("gpiochip0", 17)).toBe(0);
  });

  it("exits 1 with the code when GPIO cannot be used", async () => {
    const file = configFile("no-tools", {
      mode: "chardev",
      toolsDir: join(dir, "none"),
      cashDrawer: { pin: 17 },
    });
    const { code, lines } = await run(file, "0");
    expect(code).toBe(1);
    expect(lines.join("\n")).toContain("gpio: error (none): [GPIO_TOOLS_MISSING]");
  });
});
