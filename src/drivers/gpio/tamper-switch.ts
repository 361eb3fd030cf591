import { EventEmitter } from "node:events";
import type { Clock } from "../../core/clock.js";
import type { Logger } from "../../core/logger.js";
import type { InputPin } from "./pins.js";

/** "open": the door or tamper switch is open (its active level); "closed": secure. */
export interface TamperEvent {
  readonly state: "open" | "closed";
  readonly at: string;
}

/**
 * A door or tamper switch. Contacts bounce, so an edge only arms a timer: when the line has been
 * quiet for `debounceMs`, its level is read and a change is raised as one `tamper` event.
 */
export class TamperSwitch extends EventEmitter<{ tamper: [TamperEvent] }> {
  #state: TamperEvent["state"] | null = null;
  #timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly pin: InputPin,
    private readonly debounceMs: number,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    super();
  }

  get state(): TamperEvent["state"] | null {
    return this.#state;
  }

  async start(): Promise<void> {
    this.#state = (await this.pin.read()) === 1 ? "open" : "closed";
    await this.pin.watch(() => this.#edge());
  }

  #edge(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.pin
        .read()
        .then((level) => {
          const state = level === 1 ? "open" : "closed";
          if (state === this.#state) return;
          this.#state = state;
          this.logger.warn(`tamper switch ${state}`);
          this.emit("tamper", { state, at: this.clock.now().toISOString() });
        })
        .catch((error: Error) => this.logger.warn(`tamper switch unreadable: ${error.message}`));
    }, this.debounceMs);
  }

  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
