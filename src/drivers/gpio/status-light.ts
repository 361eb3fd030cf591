import type { Logger } from "../../core/logger.js";
import type { Level, OutputPin } from "./pins.js";

export type LightPattern = "off" | "ready" | "processing" | "offline" | "fault";

/** Each pattern is a cycle of (level, milliseconds); a single step with 0 ms is steady. */
export const LIGHT_PATTERNS: Record<LightPattern, readonly (readonly [Level, number])[]> = {
  off: [[0, 0]],
  ready: [[1, 0]],
  processing: [
    [1, 250],
    [0, 250],
  ],
  // A short blink every two seconds: alive, but not talking to central.
  offline: [
    [1, 150],
    [0, 1850],
  ],
  fault: [
    [1, 100],
    [0, 100],
  ],
};

/** A cycle a pin can run by toggling: every step's level differs from the one before. */
function alternates(steps: readonly (readonly [Level, number])[]): boolean {
  return steps.every(([level], index) => level !== steps[(index + 1) % steps.length]?.[0]);
}

/** The status light: steady for ready, blinking patterns for the rest. Timers live here, not in callers. */
export class StatusLight {
  #timer: NodeJS.Timeout | null = null;
  #pattern: LightPattern = "off";

  constructor(
    private readonly pin: OutputPin,
    private readonly logger: Logger,
  ) {}

  get pattern(): LightPattern {
    return this.#pattern;
  }

  show(pattern: LightPattern): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#pattern = pattern;
    const steps = LIGHT_PATTERNS[pattern];
    if (this.pin.cycle && steps.length > 1 && alternates(steps)) {
      this.pin.cycle(steps).catch((error: Error) => this.logger.warn(`status light: ${error.message}`));
      return;
    }
    this.#step(steps, 0);
  }

  #step(steps: readonly (readonly [Level, number])[], index: number): void {
    const step = steps[index % steps.length];
    if (!step) return;
    const [level, ms] = step;
    this.pin.write(level).catch((error: Error) => this.logger.warn(`status light: ${error.message}`));
    if (ms > 0) this.#timer = setTimeout(() => this.#step(steps, index + 1), ms);
  }

  stop(): void {
    this.show("off");
  }
}
