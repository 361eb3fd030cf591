import { ErrorCodes } from "../../core/error-codes.js";
import { KioskError } from "../../core/kiosk-error.js";
import { type ChipInfo, type HeldLine, holdOutput, monitorInput, readInput } from "./gpiod-tools.js";
import type { InputPin, Level, OutputPin, PinBias, PinFactory } from "./pins.js";

/**
 * An output on the character device. Each level (or blink cycle) is one gpioset process holding
 * the line; a change starts the next one only after the last has let go (the kernel refuses a line
 * that is held). Changes run one at a time, in the order asked.
 */
class ChardevOutput implements OutputPin {
  #held: HeldLine | null = null;
  #queue: Promise<void> = Promise.resolve();
  #released = false;

  constructor(
    private readonly toolsDir: string,
    private readonly chip: ChipInfo,
    private readonly offset: number,
    private readonly activeLow: boolean,
  ) {
    // Request the line at once, inactive, so it is driven (not floating) from the start.
    this.#enqueue(0, []).catch(() => {});
  }

  write(level: Level): Promise<void> {
    return this.#enqueue(level, []);
  }

  /** Starts at `steps[0]`'s level and toggles after each step's time, forever, inside gpioset. */
  cycle(steps: readonly (readonly [Level, number])[]): Promise<void> {
    const first = steps[0];
    if (!first) return this.write(0);
    return this.#enqueue(
      first[0],
      steps.map(([, ms]) => ms),
    );
  }

  #enqueue(level: Level, periodsMs: readonly number[]): Promise<void> {
    const next = this.#queue.then(async () => {
      if (this.#released) return;
      await this.#held?.stop();
      this.#held = holdOutput(
        this.toolsDir,
        { chip: this.chip.name, offset: this.offset, activeLow: this.activeLow },
        level,
        periodsMs,
      );
      await this.#held.ready;
    });
    this.#queue = next.catch(() => {});
    return next;
  }

  async release(): Promise<void> {
    // Leave the line inactive when letting go (a Raspberry Pi kernel keeps an output's level).
    await this.write(0).catch(() => {});
    this.#released = true;
    await this.#queue;
    await this.#held?.stop();
    this.#held = null;
  }
}

/**
 * An input on the character device: read once with gpioget, then watched with gpiomon, whose edges
 * keep the level current (the line is held by gpiomon then, so gpioget could not read it).
 */
class ChardevInput implements InputPin {
  #monitor: HeldLine | null = null;
  #level: Level | null = null;

  constructor(
    private readonly toolsDir: string,
    private readonly chip: ChipInfo,
    private readonly offset: number,
    private readonly activeLow: boolean,
    private readonly bias: PinBias,
  ) {}

  #request() {
    return { chip: this.chip.name, offset: this.offset, activeLow: this.activeLow };
  }

  async read(): Promise<Level> {
    if (this.#monitor && this.#level !== null) return this.#level;
    this.#level = await readInput(this.toolsDir, this.#request(), this.bias);
    return this.#level;
  }

  async watch(onEdge: () => void): Promise<void> {
    this.#monitor = monitorInput(this.toolsDir, this.#request(), this.bias, (level) => {
      this.#level = level;
      onEdge();
    });
    await this.#monitor.ready;
  }

  async release(): Promise<void> {
    await this.#monitor?.stop();
    this.#monitor = null;
  }
}

/** Pins on the character device of `chip`, numbered by line offset (= BCM number on a Pi's header chip). */
export function chardevPins(toolsDir: string, chip: ChipInfo): PinFactory {
  const onChip = (bcmPin: number): number => {
    if (bcmPin >= chip.lines) {
      throw new KioskError(
        ErrorCodes.GPIO_UNAVAILABLE,
        `BCM pin ${bcmPin} is not on ${chip.name} [${chip.label}], which has lines 0–${chip.lines - 1}.`,
        { pin: bcmPin, chip: chip.label },
      );
    }
    return bcmPin;
  };
  return {
    simulated: false,
    output: (bcmPin, activeLow) => new ChardevOutput(toolsDir, chip, onChip(bcmPin), activeLow),
    input: (bcmPin, activeLow, bias = "as-is") =>
      new ChardevInput(toolsDir, chip, onChip(bcmPin), activeLow, bias),
  };
}
