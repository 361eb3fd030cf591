import type { InputPin, Level, OutputPin, PinFactory } from "./pins.js";

/**
 * In-memory pins for laptops and tests: outputs record every level they were set to (with the time),
 * inputs are driven with `set`, and `released` shows what was given back on shutdown.
 */
export class SimulatedPins implements PinFactory {
  readonly simulated = true;
  readonly #levels = new Map<number, Level>();
  readonly #watchers = new Map<number, Set<() => void>>();
  readonly history = new Map<number, { level: Level; at: number }[]>();
  readonly released = new Set<number>();

  level(bcmPin: number): Level {
    return this.#levels.get(bcmPin) ?? 0;
  }

  /** Drives an input as the switch would; every change is an edge, bounces included. */
  set(bcmPin: number, level: Level): void {
    if (this.level(bcmPin) === level) return;
    this.#levels.set(bcmPin, level);
    for (const onEdge of this.#watchers.get(bcmPin) ?? []) onEdge();
  }

  output(bcmPin: number): OutputPin {
    this.released.delete(bcmPin);
    this.#levels.set(bcmPin, 0);
    const history: { level: Level; at: number }[] = [];
    this.history.set(bcmPin, history);
    return {
      write: async (level) => {
        this.#levels.set(bcmPin, level);
        history.push({ level, at: performance.now() });
      },
      release: () => {
        this.#levels.set(bcmPin, 0);
        this.released.add(bcmPin);
      },
    };
  }

  input(bcmPin: number): InputPin {
    this.released.delete(bcmPin);
    const watchers = new Set<() => void>();
    this.#watchers.set(bcmPin, watchers);
    return {
      read: async () => this.level(bcmPin),
      watch: (onEdge) => {
        watchers.add(onEdge);
      },
      release: () => {
        watchers.clear();
        this.released.add(bcmPin);
      },
    };
  }
}
