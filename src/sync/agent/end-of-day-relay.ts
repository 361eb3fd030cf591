import { performance } from "node:perf_hooks";
import type { Clock } from "../../core/clock.js";
import type { Logger } from "../../core/logger.js";
import type { EndOfDayOutbox } from "../../store/end-of-day-outbox.js";
import { guarded } from "../../store/sqlite-errors.js";
import { encodeEndOfDayBatch, type Outgoing } from "../protocol/codec.js";
import { type EndOfDayAck, MAX_END_OF_DAY_ITEMS } from "../protocol/messages.js";

export interface EndOfDayRelayDeps {
  readonly outbox: EndOfDayOutbox;
  readonly deviceId: string;
  readonly clock: Clock;
  readonly newId: () => string;
  readonly logger: Logger;
  /** How often an attached relay looks for new items. */
  readonly intervalMs: number;
  /** How long a batch may wait for its ack before everything unsynced is sent again. */
  readonly ackTimeoutMs: number;
}

/**
 * Sends the end-of-day outbox (shifts, drawer counts, X/Z reports) to central, one batch at a time,
 * marking items synced only on central's ack (sent after its commit). A lost batch or ack means a
 * resend, which central stores as a duplicate: exactly once in effect, like records. The paperwork
 * is a few items a day, so one batch in flight is plenty.
 */
export class EndOfDayRelay {
  #send: ((message: Outgoing) => void) | null = null;
  #timer: NodeJS.Timeout | null = null;
  /** The batch awaiting its ack, and when it was sent (monotonic ms). */
  #inFlight: { readonly id: string; readonly sentAt: number } | null = null;

  constructor(private readonly deps: EndOfDayRelayDeps) {}

  attach(send: (message: Outgoing) => void): void {
    this.#send = send;
    this.#inFlight = null;
    this.flush();
    this.#timer = setInterval(() => this.flush(), this.deps.intervalMs);
  }

  detach(): void {
    this.#send = null;
    this.#inFlight = null;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** Sends the oldest unsynced items, unless a batch still awaits an ack that is not yet overdue. */
  flush(): void {
    const send = this.#send;
    if (!send) return;
    if (this.#inFlight && performance.now() - this.#inFlight.sentAt < this.deps.ackTimeoutMs) return;
    try {
      const entries = this.deps.outbox.pending(MAX_END_OF_DAY_ITEMS);
      if (entries.length === 0) {
        this.#inFlight = null;
        return;
      }
      const messageId = this.deps.newId();
      const meta = { messageId, sentAt: this.deps.clock.now().toISOString() };
      send(
        encodeEndOfDayBatch(
          this.deps.deviceId,
          entries.map((entry) => entry.payload),
          meta,
        ),
      );
      this.#inFlight = { id: messageId, sentAt: performance.now() };
    } catch (error) {
      this.deps.logger.error(`end-of-day items not sent, retrying: ${(error as Error).message}`);
    }
  }

  /** Central's ack: marks what it names as synced, then sends what is left. */
  acknowledge(ack: EndOfDayAck): number {
    const at = this.deps.clock.now().toISOString();
    const moved = guarded("marking end-of-day items synced", () =>
      this.deps.outbox.markSynced(ack.results, at),
    );
    for (const result of ack.results) {
      if (result.outcome === "conflict" || result.outcome === "rejected")
        this.deps.logger.error(
          `central kept end-of-day item ${result.id} revision ${result.revision} as a ${result.outcome} in its dead letters`,
          { itemId: result.id, outcome: result.outcome },
        );
    }
    if (this.#inFlight?.id === ack.batchId) this.#inFlight = null;
    this.flush();
    return moved;
  }
}
