/** 1 = active (relay energised, light on, switch open), whatever the wiring's polarity. */
export type Level = 0 | 1;

export interface OutputPin {
  write(level: Level): Promise<void>;
  release(): void;
}

export interface InputPin {
  read(): Promise<Level>;
  /** Calls back on every edge (raw, not debounced: the tamper switch debounces itself). */
  watch(onEdge: () => void): void;
  release(): void;
}

/** Opens pins by BCM number; the real one maps them to sysfs numbers, the simulator keeps levels. */
export interface PinFactory {
  readonly simulated: boolean;
  output(bcmPin: number, activeLow: boolean): OutputPin;
  input(bcmPin: number, activeLow: boolean): InputPin;
}
