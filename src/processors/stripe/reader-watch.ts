import type Stripe from "stripe";
import type { Logger } from "../../core/logger.js";
import type { SmartReader, SmartReaderStatus } from "../../payments/smart-reader.js";

/** Told by the processor when it starts and ends a collection, so its own is not "busy". */
export interface ReaderActivity {
  begin(readerId: string): void;
  end(readerId: string): void;
}

/**
 * Watches the studio's smart reader at Stripe in the background: online or offline, and busy when
 * it collects a payment this kiosk did not start. For the status bar and telemetry; a payment never
 * waits for it.
 */
export class ReaderWatch implements SmartReader, ReaderActivity {
  #status: SmartReaderStatus = "unknown";
  #ours = 0;
  #timer: NodeJS.Timeout | null = null;
  #looking: Promise<void> | null = null;

  constructor(
    private readonly stripe: Stripe,
    readonly id: string,
    private readonly logger: Logger,
  ) {}

  status(): SmartReaderStatus {
    return this.#status;
  }

  begin(readerId: string): void {
    if (readerId === this.id) this.#ours += 1;
  }

  end(readerId: string): void {
    if (readerId === this.id) this.#ours = Math.max(this.#ours - 1, 0);
  }

  start(intervalMs: number): void {
    void this.look();
    this.#timer = setInterval(() => void this.look(), intervalMs);
    this.#timer.unref();
  }

  /** Asks Stripe once (one look at a time). */
  look(): Promise<void> {
    this.#looking ??= this.#ask().finally(() => {
      this.#looking = null;
    });
    return this.#looking;
  }

  async #ask(): Promise<void> {
    let next: SmartReaderStatus;
    try {
      const reader = (await this.stripe.terminal.readers.retrieve(this.id)) as Stripe.Terminal.Reader;
      if (reader.status !== "online") next = "offline";
      else next = reader.action?.status === "in_progress" && this.#ours === 0 ? "busy" : "ready";
    } catch {
      next = "unknown";
    }
    if (next !== this.#status) this.logger.info(`smart reader ${this.id}: ${next}`);
    this.#status = next;
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#looking;
  }
}
