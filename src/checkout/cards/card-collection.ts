import type { Logger } from "../../core/logger.js";

interface Waiting {
  readonly id: number;
  readonly cancel: () => Promise<void>;
}

/**
 * The one card collection the kiosk may be waiting on (a swipe, or keyed entry on the processor's
 * hosted page). Starting another cancels the one still waiting first, so two collections can never
 * both end in a charge.
 */
export class CardCollection {
  #waiting: Waiting | null = null;
  #next = 1;

  constructor(private readonly logger: Logger) {}

  get waiting(): boolean {
    return this.#waiting !== null;
  }

  async begin(cancel: () => Promise<void>): Promise<number> {
    await this.cancel();
    const id = this.#next++;
    this.#waiting = { id, cancel };
    return id;
  }

  /** The collection ended by itself (card read, entry completed): nothing to cancel any more. */
  finish(id: number): void {
    if (this.#waiting?.id === id) this.#waiting = null;
  }

  async cancel(): Promise<void> {
    const waiting = this.#waiting;
    this.#waiting = null;
    if (!waiting) return;
    try {
      await waiting.cancel();
    } catch (error) {
      this.logger.warn(`cancelling the previous card collection failed: ${(error as Error).message}`);
    }
  }
}
