/** 1 = active (relay energised, light on, switch open), whatever the wiring's polarity. */
export type Level = 0 | 1;

export interface OutputPin {
  write(level: Level): Promise<void>;
  /**
   * Optional: run a blink cycle (start at the first step's level, toggle after each step's time,
   * repeat) in the pin itself, where a timer per toggle would cost more (a process on the chardev).
   */
  cycle?(steps: readonly (readonly [Level, number])[]): Promise<void>;
  release(): void | Promise<void>;
}

export interface InputPin {
  read(): Promise<Level>;
  /** Calls back on every edge (raw, not debounced: the tamper switch debounces itself); settles once watching. */
  watch(onEdge: () => void): void | Promise<void>;
  release(): void | Promise<void>;
}

/** A pull resistor on an input: "as-is" leaves the board's default. */
export type PinBias = "as-is" | "pull-up" | "pull-down";

/** Opens pins by BCM number; the real ones map them to their chip's lines, the simulator keeps levels. */
export interface PinFactory {
  readonly simulated: boolean;
  output(bcmPin: number, activeLow: boolean): OutputPin;
  input(bcmPin: number, activeLow: boolean, bias?: PinBias): InputPin;
}
