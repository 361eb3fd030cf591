import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Level } from "../../src/drivers/gpio/pins.js";

const TOOL = fileURLToPath(new URL("./gpio-chip/gpio-tool.mjs", import.meta.url));

/**
 * A simulated GPIO chip and libgpiod v2's tools over it (test/helpers/gpio-chip/gpio-tool.mjs says
 * why a stand-in, and what it keeps of the real tools). `toolsDir` goes where /usr/bin would.
 */
export class SimulatedGpioChip {
  readonly root = mkdtempSync(join(tmpdir(), "spectra-gpiochip-"));
  readonly toolsDir = join(this.root, "bin");
  readonly #state = join(this.root, "state");

  constructor(chips: readonly { name: string; label: string; lines: number; denied?: boolean }[]) {
    mkdirSync(this.toolsDir, { recursive: true });
    mkdirSync(this.#state, { recursive: true });
    for (const tool of ["gpiodetect", "gpioset", "gpioget", "gpiomon"]) {
      const path = join(this.toolsDir, tool);
      writeFileSync(path, `#!/bin/sh\nexec "${process.execPath}" "${TOOL}" "${this.#state}" ${tool} "$@"\n`);
      chmodSync(path, 0o755);
    }
    for (const chip of chips) {
      const dir = join(this.#state, chip.name);
      mkdirSync(dir);
      writeFileSync(join(dir, "label"), `${chip.label}\n`);
      writeFileSync(join(dir, "lines"), `${chip.lines}\n`);
      if (chip.denied) writeFileSync(join(dir, "denied"), "");
    }
  }

  #line(chip: string, offset: number): string {
    return join(this.#state, chip, `line${offset}`);
  }

  /** The physical level on a line (what a meter on the header pin would show). */
  physical(chip: string, offset: number): Level {
    const file = this.#line(chip, offset);
    return existsSync(file) && readFileSync(file, "utf8").trim() === "1" ? 1 : 0;
  }

  /** Drives an input line from outside, as a switch would. */
  drive(chip: string, offset: number, level: Level): void {
    writeFileSync(this.#line(chip, offset), String(level));
  }

  /** Whether a live process holds the line (as gpioinfo would show it "used"). */
  held(chip: string, offset: number): boolean {
    const owner = `${this.#line(chip, offset)}.owner`;
    if (!existsSync(owner)) return false;
    const pid = Number(readFileSync(owner, "utf8").split(" ")[0]);
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }

  /** The consumer name the holder gave (gpioinfo's "consumer="), or null when the line is free. */
  consumer(chip: string, offset: number): string | null {
    if (!this.held(chip, offset)) return null;
    return readFileSync(`${this.#line(chip, offset)}.owner`, "utf8").split(" ")[1] ?? null;
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
