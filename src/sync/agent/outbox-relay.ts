import { performance } from "node:perf_hooks";
import type { Clock } from "../../core/clock.js";
import type { Logger } from "../../core/logger.js";
import type { Outbox, OutboxEntry } from "../../store/outbox.js";
import { guarded } from "../../store/sqlite-errors.js";
import { encodeRecordBatch, type Outgoing } from "../protocol/codec.js";
import type { RecordAck } from "../protocol/messages.js";

export interface RelayOptions {
  readonly batchSize: number;
  readonly maxBatchBytes: number;
  readonly lingerMs: number;
  readonly maxInFlightBatches: number;
  readonly ackTimeoutMs: number;
  readonly pollIntervalMs: number;
}

export interface RelayDeps {
  readonly outbox: Outbox;
  readonly deviceId: string;
  readonly clock: Clock;
  readonly newId: () => string;
  readonly logger: Logger;
  readonly options: RelayOptions;
}

/** Sends a message at QoS 1 and forgets it: whether it arrived is learnt from central's ack only. */
export type Publish = (message: Outgoing) => void;

export interface RelayStats {
  batchesSent: number;
  recordsSent: number;
  recordsAcked: number;
  resends: number;
}

/**
 * Relays the outbox to central in seq order, in batches, with up to N batches awaiting their ack.
 * The outbox is the only queue: a row is marked synced when central's ack for it arrives (sent after
 * central's commit), never on PUBACK. On a new connection, or when an ack is overdue, it starts again
 * from the oldest unsynced row — central ignores what it already has, so a resend costs only time.
 */
export class OutboxRelay {
  #publish: Publish | null = null;
  /** The seq after which the next batch starts. */
  #afterSeq = 0;
  /** Batches awaiting an ack: message id → when it was sent (monotonic ms). */
  readonly #inFlight = new Map<string, number>();
  #timer: NodeJS.Timeout | null = null;
  #ackTimer: NodeJS.Timeout | null = null;
  #lingered = false;
  #lastSyncAt: string | null = null;
  readonly stats: RelayStats = { batchesSent: 0, recordsSent: 0, recordsAcked: 0, resends: 0 };

  constructor(private readonly deps: RelayDeps) {}

  /** When central last acknowledged records, or the outbox was found drained while connected. */
  get lastSyncAt(): string | null {
    return this.#lastSyncAt;
  }

  /** A connection is up: start from the oldest unsynced row. */
  attach(publish: Publish): void {
    this.#publish = publish;
    this.#restart();
    this.#ackTimer = setInterval(
      () => this.#checkOverdue(),
      Math.max(50, this.deps.options.ackTimeoutMs / 4),
    );
  }

  /** The connection is gone: whatever was in flight will be sent again on the next one. */
  detach(): void {
    this.#publish = null;
    this.#inFlight.clear();
    this.#clearTimers();
  }

  /** Look for new rows now instead of at the next poll. */
  notify(): void {
    if (this.#publish && this.#timer === null) this.#schedule(0);
  }

  /** Applies central's ack: marks what it names as synced. Returns how many rows that moved. */
  acknowledge(ack: RecordAck): number {
    const at = this.deps.clock.now().toISOString();
    const moved = guarded("marking records synced", () => this.deps.outbox.markSynced(ack.results, at));
    this.#inFlight.delete(ack.batchId);
    this.stats.recordsAcked += moved;
    this.#lastSyncAt = at;
    for (const result of ack.results) {
      if (result.outcome === "conflict" || result.outcome === "rejected") {
        // Kept in the outbox with central's code and reason (Outbox.refused) for staff to follow up.
        this.deps.logger.error(
          `[${result.code ?? "?"}] central kept record ${result.recordId} revision ${result.revision} as a ${result.outcome} in its dead letters${result.reason ? `: ${result.reason}` : ""}`,
          {
            recordId: result.recordId,
            revision: result.revision,
            outcome: result.outcome,
            code: result.code ?? null,
          },
        );
      }
    }
    this.notify();
    return moved;
  }

  #restart(): void {
    this.#afterSeq = 0;
    this.#inFlight.clear();
    this.#lingered = false;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#schedule(0);
  }

  #schedule(ms: number): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#pump();
    }, ms);
  }

  #pump(): void {
    const { options, outbox } = this.deps;
    try {
      while (this.#publish && this.#inFlight.size < options.maxInFlightBatches) {
        const entries = outbox.pending(options.batchSize, this.#afterSeq);
        if (entries.length === 0) {
          if (this.#inFlight.size === 0 && outbox.depth().depth === 0) {
            this.#lastSyncAt = this.deps.clock.now().toISOString();
          }
          this.#schedule(options.pollIntervalMs);
          return;
        }
        if (entries.length < options.batchSize && options.lingerMs > 0 && !this.#lingered) {
          this.#lingered = true;
          this.#schedule(options.lingerMs);
          return;
        }
        this.#lingered = false;
        this.#send(this.#cut(entries), this.#publish);
      }
    } catch (error) {
      this.deps.logger.error(`reading the outbox failed, retrying: ${(error as Error).message}`);
      this.#schedule(options.pollIntervalMs);
    }
  }

  /** The longest prefix within maxBatchBytes (at least one row, whatever its size). */
  #cut(entries: readonly OutboxEntry[]): OutboxEntry[] {
    const batch: OutboxEntry[] = [];
    let bytes = 200;
    for (const entry of entries) {
      bytes += Buffer.byteLength(entry.payload) + 1;
      if (batch.length > 0 && bytes > this.deps.options.maxBatchBytes) break;
      batch.push(entry);
    }
    return batch;
  }

  #send(batch: readonly OutboxEntry[], publish: Publish): void {
    const messageId = this.deps.newId();
    const message = encodeRecordBatch(
      this.deps.deviceId,
      batch.map((entry) => entry.payload),
      { messageId, sentAt: this.deps.clock.now().toISOString() },
    );
    publish(message);
    this.#afterSeq = batch[batch.length - 1]?.seq ?? this.#afterSeq;
    this.#inFlight.set(messageId, performance.now());
    this.stats.batchesSent += 1;
    this.stats.recordsSent += batch.length;
  }

  #checkOverdue(): void {
    const now = performance.now();
    for (const sentAt of this.#inFlight.values()) {
      if (now - sentAt > this.deps.options.ackTimeoutMs) {
        this.stats.resends += 1;
        this.deps.logger.warn(
          `no ack from central for ${Math.round(now - sentAt)} ms: sending everything unsynced again`,
          { inFlight: this.#inFlight.size },
        );
        this.#restart();
        return;
      }
    }
  }

  #clearTimers(): void {
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#ackTimer) clearInterval(this.#ackTimer);
    this.#timer = null;
    this.#ackTimer = null;
  }

  stop(): void {
    this.detach();
  }
}
